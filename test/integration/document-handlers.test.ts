// Documents through the contract, as browser mode serves them: trust anchors and identities in, the signed
// certificate out and verified.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCrl, createPracticePki } from "../../electron/demo/pki";
import { dispatch } from "../../electron/engine/api/dispatch";
import {
  createEngineerIdentity,
  writePkcs12,
} from "../../electron/engine/identity";
import { opensslCmsVerify, requireTools } from "../support/certificate-tools";
import { createTestEngine } from "../support/engine";

const log = { error: (message: string) => console.error(message) };
const upload = (fileName: string, bytes: Uint8Array | string) => ({
  kind: "upload" as const,
  fileName,
  base64: Buffer.from(bytes).toString("base64"),
});

async function engineWithPlan() {
  const engine = createTestEngine();
  await engine.context.plans.create("Łódź paint shop");
  return engine;
}

async function call<C extends Parameters<typeof dispatch>[1]>(
  engine: ReturnType<typeof createTestEngine>,
  channel: C,
  input: unknown,
) {
  const answer = await dispatch(engine.handlers, channel, input, log);
  if (!answer.ok)
    throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.data;
}

describe("trust anchors", () => {
  it("imports a PEM bundle, skips what is already there, and reads DER too", async () => {
    const engine = await engineWithPlan();
    const pki = createPracticePki({ name: "Łódź Plant" });
    const bundle = `${pki.root.pem}${pki.intermediate.pem}`;
    const first = await call(engine, "anchor:import", {
      source: upload("plant-ca.pem", bundle),
    });
    expect(first.added.map((a) => a.id)).toEqual([
      "lodz-plant-root-ca",
      "lodz-plant-issuing-ca",
    ]);
    expect(first.added[0]?.fingerprintSha256).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );
    expect(first.document.plan.trustAnchors).toHaveLength(2);
    const again = await call(engine, "anchor:import", {
      source: upload("root.der", pki.root.der),
    });
    expect(again.added).toEqual([]);
    expect(again.alreadyPresent).toHaveLength(1);
  });

  it("says plainly when a file is a leaf, not a CA", async () => {
    const engine = await engineWithPlan();
    const pki = createPracticePki({ name: "Łódź Plant" });
    const leaf = pki.issueLeaf({ commonName: "mes01.plant.local" });
    const proper = await call(engine, "anchor:import", {
      source: upload("root.pem", pki.root.pem),
    });
    expect(proper.warnings).toEqual([]);
    const pinned = await call(engine, "anchor:import", {
      source: upload("mes01.pem", leaf.pem),
    });
    expect(pinned.added).toHaveLength(1);
    expect(pinned.warnings.join(" ")).toMatch(
      /^CN=mes01\.plant\.local, O=Łódź Plant is a leaf certificate, not a CA \(basicConstraints CA:FALSE\): as a trust anchor it trusts only this exact certificate/,
    );
  });

  it("refuses a file that holds no certificate, with its name", async () => {
    const engine = await engineWithPlan();
    const answer = await dispatch(
      engine.handlers,
      "anchor:import",
      { source: upload("notes.txt", "hello") },
      log,
    );
    expect(answer.ok).toBe(false);
    if (!answer.ok)
      expect(answer.error.message).toMatch(
        /^notes\.txt is not a certificate Cellcert can read/,
      );
  });

  it("asks browser mode to upload instead of opening a dialog", async () => {
    const engine = await engineWithPlan();
    const answer = await dispatch(
      engine.handlers,
      "anchor:import",
      { source: { kind: "dialog" } },
      log,
    );
    expect(answer.ok).toBe(false);
  });
});

describe("identities and the signed certificate", () => {
  it("imports the engineer's PKCS#12 beside the plan, keeps the passphrase in the session, and signs", async () => {
    const engine = await engineWithPlan();
    const identity = await createEngineerIdentity({
      name: "Ana Muñoz",
      company: "Ștefan Commissioning",
    });
    const bytes = writePkcs12(identity, "Engineer-Passphrase-7");
    const wrong = await dispatch(
      engine.handlers,
      "identity:import",
      {
        role: "engineer",
        name: "Ana Muñoz",
        source: upload("ana.p12", bytes),
        passphraseRef: "prompt",
        passphrase: "nope",
      },
      log,
    );
    expect(wrong.ok).toBe(false);
    if (!wrong.ok)
      expect(wrong.error.message).toBe("The passphrase does not open ana.p12.");

    const imported = await call(engine, "identity:import", {
      role: "engineer",
      name: "Ana Muñoz",
      source: upload("ana.p12", bytes),
      passphraseRef: "prompt",
      passphrase: "Engineer-Passphrase-7",
    });
    expect(imported.identity).toMatchObject({
      id: "ana-munoz",
      role: "engineer",
      problems: [],
    });
    expect(imported.identity.subject).toContain("Ana Muñoz");
    const stored = imported.document.plan.identities[0]!;
    expect(stored.file).toBe("identities/ana-munoz.p12");
    expect(
      existsSync(
        join(
          engine.workspace,
          "lodz-paint-shop",
          "identities",
          "ana-munoz.p12",
        ),
      ),
    ).toBe(true);
    expect(imported.document.plan.signOff.identityFingerprint).toBe(
      imported.identity.fingerprintSha256,
    );
    const status = await call(engine, "secret:status", undefined);
    expect(status).toEqual([
      expect.objectContaining({ ref: "prompt", available: true }),
    ]);

    const preview = await call(engine, "report:preview", undefined);
    expect(preview.number).toMatch(/^[A-Z0-9-]+-\d{8}-1$/);
    expect(preview.plantVerdict).toBe("not commissioned");
    expect(preview.problems).toEqual([]);

    const exported = await call(engine, "report:export", {
      identityId: "ana-munoz",
    });
    expect(exported.savedTo).toBeNull();
    expect(exported.download?.fileName).toBe(`${exported.number}.pdf`);
    expect(exported.document.plan.certificates.map((c) => c.number)).toEqual([
      exported.number,
    ]);
    const pdf = Buffer.from(exported.download!.base64, "base64");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");

    const verified = await call(engine, "report:verify", {
      source: upload("certificate.pdf", pdf),
      caPems: [],
    });
    // No CA given: intact, but who signed it is not checked — never "valid" (DESIGN §2).
    expect(verified).toMatchObject({
      status: "signer-not-checked",
      intact: true,
      valid: false,
      certificateNumber: exported.number,
      plantVerdict: "not commissioned",
      practice: false,
    });
    const tampered = Buffer.from(pdf);
    tampered[200] = (tampered[200] ?? 0) ^ 0x01;
    expect(
      (
        await call(engine, "report:verify", {
          source: upload("certificate.pdf", tampered),
          caPems: [],
        })
      ).valid,
    ).toBe(false);
    const garbage = await dispatch(
      engine.handlers,
      "report:verify",
      { source: upload("x.pdf", "not a pdf"), caPems: [] },
      log,
    );
    expect(garbage.ok).toBe(false);
  });

  it("creates an engineer identity from a new commissioning CA and hands out the CA", async () => {
    const engine = await engineWithPlan();
    const created = await call(engine, "identity:create", {
      name: "Łukasz Nowak",
      company: "Győr Automation",
      email: "lukasz@example.com",
      withCommissioningCa: true,
      passphraseRef: "env:NOT_USED",
      passphrase: "Created-Passphrase-3",
    });
    expect(created.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(created.identity.selfSigned).toBe(false);
    expect(created.identity.issuer).toContain("Győr Automation");
    expect(created.identity.extendedKeyUsage.join(" ")).toMatch(
      /emailProtection|E-mail Protection/i,
    );
    expect(
      readFileSync(
        join(
          engine.workspace,
          "lodz-paint-shop",
          "identities",
          "lukasz-nowak-commissioning-ca.pem",
        ),
        "utf8",
      ),
    ).toBe(created.caPem);
    const described = await call(engine, "identity:describe", {
      id: "lukasz-nowak",
    });
    expect(described.problems).toEqual([]);
  });

  it("says what is missing before it can sign", async () => {
    const engine = await engineWithPlan();
    const preview = await call(engine, "report:preview", undefined);
    expect(preview.problems).toEqual([
      "Import or create the engineer's signing identity.",
    ]);
    expect(
      (await dispatch(engine.handlers, "report:reveal", undefined, log)).ok,
    ).toBe(false);
  });
});

describe("CRLs beside the trust anchors", () => {
  it("imports PEM and DER CRLs with issuer, dates and entries, and skips one already there", async () => {
    const engine = await engineWithPlan();
    const pki = createPracticePki({ name: "Łódź Plant" });
    const revoked = pki.issueLeaf({ commonName: "old.plant.local" });
    const crl = createCrl(pki.intermediate, {
      revoked: [
        { certificate: revoked, revokedAt: new Date(), reason: "superseded" },
      ],
    });
    const first = await call(engine, "crl:import", {
      source: upload("issuing.crl", crl.der),
    });
    expect(first.added).toHaveLength(1);
    expect(first.added[0]).toMatchObject({
      issuer: "CN=Łódź Plant Issuing CA, O=Łódź Plant",
      entries: 1,
    });
    expect(first.added[0]?.nextUpdate).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(first.document.plan.crls).toHaveLength(1);
    const again = await call(engine, "crl:import", {
      source: upload("issuing.pem", crl.pem),
    });
    expect(again.added).toEqual([]);
    expect(again.alreadyPresent).toEqual([
      "CN=Łódź Plant Issuing CA, O=Łódź Plant",
    ]);
  });

  it("refuses a file that is not a CRL, naming the file and why", async () => {
    const engine = await engineWithPlan();
    const pki = createPracticePki({ name: "Łódź Plant" });
    for (const [fileName, bytes, why] of [
      ["root.pem", pki.root.pem, /holds a certificate, not a CRL/],
      ["garbage.crl", "not a crl", /is not a certificate revocation list/],
    ] as const) {
      const answer = await dispatch(
        engine.handlers,
        "crl:import",
        { source: upload(fileName, bytes) },
        log,
      );
      expect(answer.ok).toBe(false);
      if (!answer.ok) {
        expect(answer.error.message).toContain(
          `The CRL file ${fileName} could not be read:`,
        );
        expect(answer.error.message).toMatch(why);
      }
    }
  });
});

describe("two plans in one workspace with the same engineer name (issue 15)", () => {
  it("keep their own identities, sign, and each certificate verifies against its own plan's CA copy only", async () => {
    requireTools("openssl");
    const passphrases = {
      NORTH_PASSPHRASE: "North-Passphrase-1",
      SOUTH_PASSPHRASE: "South-Passphrase-2",
    };
    const engine = createTestEngine({ env: passphrases });
    const folderOf = (plan: string) => join(engine.workspace, plan);
    const signed: Record<string, { pdf: Buffer; number: string }> = {};
    for (const [plant, variable] of [
      ["Plant North", "NORTH_PASSPHRASE"],
      ["Plant South", "SOUTH_PASSPHRASE"],
    ] as const) {
      await call(engine, "plan:new", { plantName: plant });
      if (plant === "Plant North") {
        // A file already sits where the identity would go: it is never overwritten.
        mkdirSync(join(folderOf("plant-north"), "identities"));
        writeFileSync(
          join(folderOf("plant-north"), "identities", "ana-munoz.p12"),
          "left here before",
        );
      }
      await call(engine, "identity:create", {
        name: "Ana Muñoz",
        company: "Ștefan Commissioning",
        withCommissioningCa: true,
        passphraseRef: `env:${variable}`,
        passphrase: passphrases[variable],
      });
      const exported = await call(engine, "report:export", {
        identityId: "ana-munoz",
      });
      signed[plant] = {
        pdf: Buffer.from(exported.download!.base64, "base64"),
        number: exported.number,
      };
    }
    const north = folderOf("plant-north");
    const south = folderOf("plant-south");
    expect(
      readFileSync(join(north, "identities", "ana-munoz.p12"), "utf8"),
    ).toBe("left here before");
    expect(
      existsSync(join(north, "identities", "ana-munoz-2.p12")) &&
        existsSync(
          join(north, "identities", "ana-munoz-2-commissioning-ca.pem"),
        ),
    ).toBe(true);

    // The first plan still signs after the second made its identity of the same name.
    await call(engine, "plan:open", {
      kind: "workspace",
      file: "plant-north/plan.cellcert.json",
    });
    const again = await call(engine, "report:export", {
      identityId: "ana-munoz",
    });
    expect(again.document.plan.certificates).toHaveLength(2);
    const cas = await call(engine, "report:signer-cas", undefined);
    expect(cas).toHaveLength(1);
    expect(cas[0]?.certificates).toEqual(
      again.document.plan.certificates.map((c) => c.number),
    );
    const kept = again.document.plan.certificates[0]!;
    expect(kept.signerCaFile).toBe(`certificates/${kept.number}-signer-ca.pem`);
    expect(readFileSync(join(north, kept.pdfFile!))).toEqual(
      signed["Plant North"]!.pdf,
    );
    expect(readFileSync(join(north, kept.signerCaFile!), "utf8")).toBe(
      cas[0]?.pem,
    );

    // OpenSSL, as a stranger: each certificate verifies against its own plan's CA copy, not the other's.
    const southCa = join(
      south,
      "certificates",
      `${signed["Plant South"]!.number}-signer-ca.pem`,
    );
    const northCa = join(north, kept.signerCaFile!);
    const verify = (pdf: Buffer, ca: string) =>
      opensslCmsVerify(pdf, { caFile: ca }).status;
    expect(verify(signed["Plant North"]!.pdf, northCa)).toBe(0);
    expect(verify(signed["Plant South"]!.pdf, southCa)).toBe(0);
    expect(verify(signed["Plant North"]!.pdf, southCa)).not.toBe(0);
    expect(verify(signed["Plant South"]!.pdf, northCa)).not.toBe(0);
    await engine.shutdown();
  });
});
