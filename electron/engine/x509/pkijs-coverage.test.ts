// What pkijs's CertificateChainValidationEngine decides on its own (its default issuer search and WebCrypto),
// held against rows of the chain table: the gaps docs/x509.md names are measured here, so a pkijs upgrade that
// closes one (or opens another) shows up as a failing expectation and the note gets updated.
import * as pkijs from "pkijs";
import { describe, expect, it } from "vitest";
import { chainTable } from "../../../test/support/x509-chains";

const now = new Date();
const rows = new Map(chainTable(now).map((row) => [row.name, row]));

async function pkijsAlone(
  name: string,
): Promise<{ result: boolean; message: string }> {
  const row = rows.get(name);
  if (row === undefined) throw new Error(`no row ${name}`);
  const [leaf, ...rest] = row.sent.map((c) => pkijs.Certificate.fromBER(c.der));
  if (leaf === undefined) throw new Error("no leaf");
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: row.anchors.map((c) => pkijs.Certificate.fromBER(c.der)),
    certs: [...rest, leaf],
    checkDate: now,
  });
  const verdict = await engine.verify();
  return { result: verdict.result, message: verdict.resultMessage };
}

describe("pkijs 4.0.0 on its own", () => {
  it("checks what it covers: CA flags, keyCertSign, name constraints", async () => {
    expect(
      (await pkijsAlone("leaf → intermediate → the plan's root")).result,
    ).toBe(true);
    expect(
      (
        await pkijsAlone(
          "a server certificate signed with a device certificate's key (CA:FALSE)",
        )
      ).result,
    ).toBe(false);
    expect(
      (await pkijsAlone("an intermediate without keyCertSign")).result,
    ).toBe(false);
    expect(
      (await pkijsAlone("a DNS name outside the permitted subtree")).message,
    ).toMatch(/permitted sub-trees/);
    expect(
      (await pkijsAlone("a DNS name in an excluded subtree")).message,
    ).toMatch(/excluded sub-trees/);
  });

  it("does not check pathLenConstraint or extended key usage (Cellcert does)", async () => {
    expect(
      (await pkijsAlone("pathLenConstraint 0 with one more CA below")).result,
    ).toBe(true);
    expect(
      (
        await pkijsAlone(
          "a leaf for clients only (ADCS Workstation Authentication)",
        )
      ).result,
    ).toBe(true);
    expect(
      (await pkijsAlone("an intermediate restricted to clientAuth")).result,
    ).toBe(true);
  });

  it("cannot pin a certificate, and judges the trust anchor's own extensions", async () => {
    expect(
      (await pkijsAlone("a self-signed leaf pinned as an anchor")).result,
    ).toBe(false);
    expect((await pkijsAlone("an X.509 v1 root as the anchor")).result).toBe(
      false,
    );
  });

  it("does not backtrack: it picks the shortest path, valid or not", async () => {
    expect(
      (
        await pkijsAlone(
          "a cross-signed intermediate that leads nowhere, sent before its sibling",
        )
      ).message,
    ).toMatch(/No valid certificate paths found/);
    expect(
      (await pkijsAlone("an expired cross-sign is passed over for a valid one"))
        .message,
    ).toMatch(/not yet valid or expired/);
  });

  it("cannot check Ed25519 signatures through its WebCrypto engine here", async () => {
    expect((await pkijsAlone("Ed25519 (TLS 1.3)")).result).toBe(false);
  });

  it("fails an expired leaf as a chain fault (Cellcert leaves dates to cert.validity)", async () => {
    expect(
      (
        await pkijsAlone(
          "an expired leaf: the path holds, cert.validity fails it",
        )
      ).message,
    ).toMatch(/not yet valid or expired/);
  });
});
