// Every row of the chain table through the pure module: the exact path, or the exact failure in its sentence.
import { describe, expect, it } from "vitest";
import { chainTable } from "../../../test/support/x509-chains";
import { shortName } from "../../../shared/evidence/distinguished-name";
import { validatePath } from "./path";
import { daysFrom } from "../../demo/pki";

const now = new Date();
const rows = chainTable(now);

describe("the chain table", () => {
  it.each(rows.map((row) => [row.name, row] as const))(
    "%s",
    async (_name, row) => {
      const result = await validatePath({
        sent: row.sent.map((c) => c.der),
        anchors: row.anchors.map((c) => c.pem),
        publicRoots: false,
        crls: row.crls ?? [],
        ocspStaple: row.ocsp ?? null,
        purpose: row.purpose ?? { kind: "server-tls", keyExchange: null },
        now: daysFrom(now, row.at ?? 0),
        nowIsProven: row.nowIsProven ?? false,
        requireRevocation: row.requireRevocation ?? false,
      });
      const cn = shortName;
      expect({ status: result.status, problem: result.problem }).toMatchObject({
        status: row.expect.status,
      });
      if (row.expect.status === "valid") expect(result.problem).toBe("");
      else expect(result.problem).toMatch(/\S/);
      if (row.expect.path !== undefined)
        expect(result.path.map((l) => cn(l.subject))).toEqual(row.expect.path);
      if (row.expect.problem !== undefined)
        expect(result.problem).toMatch(row.expect.problem);
      if (row.expect.extras !== undefined)
        expect(result.extras.map((e) => `${cn(e.subject)}: ${e.why}`)).toEqual(
          row.expect.extras,
        );
      if (row.expect.warnings !== undefined)
        expect(result.warnings.join(" ")).toMatch(row.expect.warnings);
      else expect(result.warnings).toEqual([]);
      if (row.expect.revocation !== undefined)
        expect(
          result.revocation.map((r) => `${cn(r.subject)}: ${r.status}`),
        ).toEqual(row.expect.revocation);
    },
  );
});
