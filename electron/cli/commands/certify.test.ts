import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { serializePlan } from "../../../shared/model/serialize";
import {
  SIGNING_TIME,
  testPki,
  type TestPki,
} from "../../../test/support/certificate-identities";
import { fixturePlan } from "../../../test/support/certificate-plans";
import { requireTools, tool } from "../../../test/support/certificate-tools";
import { captureIo } from "../../../test/support/cli";
import { writePkcs12 } from "../../engine/identity/pkcs12";
import { readPlanFile } from "../../engine/plan-store/plan-file";
import { verifyCertificate } from "../../engine/signing/verify";
import { runCli } from "../program";
import { certifyCommand } from "./certify";

let pki: TestPki;
let folder: string;
const env = { CELLCERT_P12_PASSPHRASE: "Ștefan-2026" };

beforeAll(async () => {
  pki = await testPki();
  folder = mkdtempSync(join(tmpdir(), "cellcert-certify-"));
  writeFileSync(
    join(folder, "engineer.p12"),
    writePkcs12(pki.engineer, env.CELLCERT_P12_PASSPHRASE),
  );
  writeFileSync(
    join(folder, "good.cellcert.json"),
    serializePlan(await fixturePlan("good")),
  );
  writeFileSync(
    join(folder, "broken.cellcert.json"),
    serializePlan(await fixturePlan("broken")),
  );
});

const options = (plan: string, out: string) => ({
  plan,
  identity: "engineer.p12",
  passphraseEnv: "CELLCERT_P12_PASSPHRASE",
  out,
});

describe("cellcert certify", () => {
  it("signs the certificate, records it in the plan, and numbers the next one of the day", async () => {
    const io = captureIo({ cwd: folder, env });
    const code = await certifyCommand(
      options("good.cellcert.json", "good.pdf"),
      io,
      () => SIGNING_TIME,
    );
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    const text = io.out.join("\n");
    expect(text).toContain(
      "Signed commissioning certificate GYOR-BODY-SHOP-20260302-1 written to",
    );
    expect(text).toContain("Plant verdict:    ✔ COMMISSIONED");
    expect(text).toContain(
      "Signed by:        CN=Łukasz Nowak, O=Muñoz Automatización S.L.",
    );
    expect(text).toContain(
      "Signed at:        2026-03-02 15:00 UTC (this laptop's clock)",
    );
    const pdf = readFileSync(join(folder, "good.pdf"));
    expect(
      (await verifyCertificate(pdf, { caPems: [pki.ca.certificatePem] })).valid,
    ).toBe(true);
    const { plan } = await readPlanFile(join(folder, "good.cellcert.json"));
    expect(plan.certificates).toHaveLength(1);
    expect(plan.certificates[0]).toMatchObject({
      number: "GYOR-BODY-SHOP-20260302-1",
      plantVerdict: "commissioned",
      issuedAt: "2026-03-02T15:00:00.000Z",
    });

    const again = captureIo({ cwd: folder, env });
    expect(
      await certifyCommand(
        options("good.cellcert.json", "good-2.pdf"),
        again,
        () => SIGNING_TIME,
      ),
    ).toBe(0);
    expect(again.out.join("\n")).toContain("GYOR-BODY-SHOP-20260302-2");
    expect(
      (await readPlanFile(join(folder, "good.cellcert.json"))).plan
        .certificates,
    ).toHaveLength(2);
  });

  it("still issues a broken plant's certificate, which says NOT COMMISSIONED, and exits 1", async () => {
    const io = captureIo({ cwd: folder, env });
    expect(
      await certifyCommand(
        options("broken.cellcert.json", "broken.pdf"),
        io,
        () => SIGNING_TIME,
      ),
    ).toBe(1);
    const text = io.out.join("\n");
    expect(text).toContain("Plant verdict:    ✖ NOT COMMISSIONED");
    expect(text).toMatch(
      /\d+ checks failed: the certificate says so \(exit code 1\)\./,
    );
    expect(
      (await verifyCertificate(readFileSync(join(folder, "broken.pdf"))))
        .plantVerdict,
    ).toBe("not commissioned");
  });

  it.each([
    [
      {},
      "The environment variable CELLCERT_P12_PASSPHRASE is not set: set it to the passphrase of engineer.p12.",
    ],
    [
      { CELLCERT_P12_PASSPHRASE: "wrong" },
      "The passphrase does not open engineer.p12.",
    ],
  ])(
    "says what to do when the passphrase is missing or wrong (%o)",
    async (environment, message) => {
      const io = captureIo({ cwd: folder, env: environment });
      expect(
        await certifyCommand(
          options("good.cellcert.json", "x.pdf"),
          io,
          () => SIGNING_TIME,
        ),
      ).toBe(2);
      expect(io.err).toEqual([message]);
    },
  );

  it("takes only the name of a variable, never the passphrase itself", async () => {
    const io = captureIo({ cwd: folder, env });
    const code = await runCli(
      [
        "certify",
        "--plan",
        "good.cellcert.json",
        "--identity",
        "engineer.p12",
        "--passphrase-env",
        "Ștefan-2026",
        "--out",
        "x.pdf",
      ],
      io,
    );
    expect(code).toBe(2);
    expect(io.err.join("")).toMatch(
      /^--passphrase-env takes the NAME of an environment variable/,
    );
  });

  it("refuses an expired identity with the date", async () => {
    const io = captureIo({ cwd: folder, env });
    expect(
      await certifyCommand(
        options("good.cellcert.json", "x.pdf"),
        io,
        () => new Date("2029-02-01T00:00:00Z"),
      ),
    ).toBe(2);
    expect(io.err.join("")).toMatch(
      /^The certificate of CN=Łukasz Nowak, O=Muñoz Automatización S.L. expired on 2028-12-31 \(32 days ago\)/,
    );
  });

  it("says so when the plan or the identity file is missing", async () => {
    const io = captureIo({ cwd: folder, env });
    expect(
      await certifyCommand(
        options("nowhere.cellcert.json", "x.pdf"),
        io,
        () => SIGNING_TIME,
      ),
    ).toBe(2);
    expect(io.err.join("")).toMatch(
      /^nowhere\.cellcert\.json: there is no such file/,
    );
    const io2 = captureIo({ cwd: folder, env });
    expect(
      await certifyCommand(
        { ...options("good.cellcert.json", "x.pdf"), identity: "lost.p12" },
        io2,
        () => SIGNING_TIME,
      ),
    ).toBe(2);
    expect(io2.err.join("")).toMatch(
      /^--identity lost\.p12: .*lost\.p12 cannot be read \(ENOENT\); give the path of the engineer's \.p12 file\./,
    );
  });
});

describe("cellcert certify, on what was measured (issue 15)", () => {
  const pdfText = (file: string): string => {
    requireTools("pdftotext");
    const run = tool("pdftotext", ["-layout", file, "-"]);
    expect(run.status, run.output).toBe(0);
    return run.output;
  };

  it("prints each out-of-date result on its own line, and signs no commissioned on them", async () => {
    const plan = await fixturePlan("good");
    const endpoint = plan.endpoints.find((e) => e.boundary === "ENT-PER")!;
    endpoint.port = (endpoint.port ?? 443) + 1; // edited outside the app after the runs
    writeFileSync(join(folder, "edited.cellcert.json"), serializePlan(plan));
    const io = captureIo({ cwd: folder, env });
    expect(
      await certifyCommand(
        options("edited.cellcert.json", "edited.pdf"),
        io,
        () => SIGNING_TIME,
      ),
    ).toBe(0);
    const lines = io.out.join("\n").split("\n");
    const stale = lines.filter((l) => l.startsWith("  OUT OF DATE  "));
    expect(stale.length).toBeGreaterThan(5);
    for (const line of stale)
      expect(line).toMatch(
        new RegExp(
          `^  OUT OF DATE  ENT-PER\\.[a-z.-]+  ${endpoint.id}  the endpoint changed after run \\d+, so this result is out of date: probe it again\\.$`,
        ),
      );
    expect(lines).toContain("Plant verdict:    ✖ NOT COMMISSIONED");
    const pdf = readFileSync(join(folder, "edited.pdf"));
    expect(
      (await verifyCertificate(pdf, { caPems: [pki.ca.certificatePem] }))
        .plantVerdict,
    ).toBe("not commissioned");
    const text = pdfText(join(folder, "edited.pdf"));
    expect(text).toContain("○ OUT OF DATE");
    expect(text).toMatch(/Out.of.date: the endpoint changed after run \d+/);
  });

  it("shows a boundary carried by a waiver as ⚑ WAIVED in the summary, never pass", async () => {
    const plan = await fixturePlan("good");
    const erp = plan.endpoints.find((e) => e.boundary === "APP-EXT")!;
    const run = plan.runs.find((r) =>
      r.results.some((x) => x.checkId === "APP-EXT.cert.validity"),
    )!;
    run.results = run.results.map((r) =>
      r.checkId === "APP-EXT.cert.validity" && r.endpointId === erp.id
        ? { ...r, verdict: "fail", message: "The certificate expired." }
        : r,
    );
    plan.waivers.push({
      checkId: "APP-EXT.cert.validity",
      endpointId: erp.id,
      justification: "Renewal ordered (ticket 4471).",
      name: "María Muñoz",
      approvedBy: "Ștefan Popescu",
      date: "2026-03-02",
      expires: "2026-04-30",
      notes: "",
    });
    writeFileSync(join(folder, "waived.cellcert.json"), serializePlan(plan));
    const io = captureIo({ cwd: folder, env });
    expect(
      await certifyCommand(
        options("waived.cellcert.json", "waived.pdf"),
        io,
        () => SIGNING_TIME,
      ),
    ).toBe(0);
    expect(io.out.join("\n")).toContain(
      "Plant verdict:    ⚑ COMMISSIONED WITH WAIVERS",
    );
    const row = pdfText(join(folder, "waived.pdf"))
      .split("\n")
      .find((l) => l.startsWith("APP-EXT · "));
    expect(row).toMatch(/⚑ WAIVED$/);
  });
});
