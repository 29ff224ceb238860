// Certificates issued from the fixture plans the certificate tests use, read back for a re-audit: verified first
// (valid, intact with the signer not checked, or refused), their evidence read by its version, a plan made from
// it, and the plan's kept copy of that evidence held to its signed hash.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Plan } from "../../../shared/model/plan";
import { reauditToDo } from "../../../shared/reaudit/to-do";
import {
  SIGNING_TIME,
  testPki,
  type TestPki,
} from "../../../test/support/certificate-identities";
import { fixturePlan } from "../../../test/support/certificate-plans";
import { isUserError } from "../errors";
import { issueCertificate } from "../report/issue";
import { verifyCertificate } from "../signing/verify";
import { inProcessVerifier } from "../signing/verifier";
import { changesSinceCertificate, planChanges } from "./changes-since";
import { compareAudits } from "./compare";
import { readCertificateEvidence } from "./evidence-adapters";
import { openCertificate, type CheckedCertificate } from "./open-certificate";
import { writeReauditPlan } from "./plan-files";
import { reauditPlan } from "./plan-from";
import { requireTools } from "../../../test/support/certificate-tools";
import {
  overlappingWords,
  pageTexts,
  wordBoxes,
} from "../../../test/support/pdf-layout";

let pki: TestPki;
let goodPlan: Plan;
let goodPdf: Uint8Array;
let brokenPdf: Uint8Array;
let good: CheckedCertificate;

const open = (pdf: Uint8Array, caPems: string[] = [pki.ca.certificatePem]) =>
  openCertificate(pdf, {
    fileName: "certificate.pdf",
    caPems,
    verifier: inProcessVerifier,
  });

/** A version-2 evidence document as version 1 held it: without each record's ref, check's evidenceRefs, run's instrument and source address. */
function asVersion1(json: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(json) as Record<string, unknown> & {
    runs: Record<string, unknown>[];
    assessment: { boundaries: { checks: Record<string, unknown>[] }[] };
  };
  copy.schema = "cellcert.evidence/1";
  for (const run of copy.runs) {
    delete run.instrument;
    delete run.sourceAddress;
    for (const record of run.evidence as Record<string, unknown>[])
      delete record.ref;
  }
  for (const boundary of copy.assessment.boundaries)
    for (const check of boundary.checks) delete check.evidenceRefs;
  return copy;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error("not refused");
}

beforeAll(async () => {
  pki = await testPki();
  // The historian retired after it was probed: kept in the evidence, left out of the next audit.
  const plan = await fixturePlan("good");
  goodPlan = Plan.parse({
    ...plan,
    endpoints: plan.endpoints.map((e) =>
      e.id === "pcs-historian" ? { ...e, retired: true } : e,
    ),
  });
  goodPdf = (
    await issueCertificate(goodPlan, pki.engineer, { now: SIGNING_TIME })
  ).pdf;
  brokenPdf = (
    await issueCertificate(await fixturePlan("broken"), pki.engineer, {
      now: SIGNING_TIME,
    })
  ).pdf;
  good = await open(goodPdf);
}, 120_000);

describe("a certificate opened for a re-audit", () => {
  it("is valid with the commissioning CA, intact but signer-not-checked without it, and its evidence is the signed one", async () => {
    expect(good.status).toBe("valid");
    expect(good.evidenceSha256).toBe(good.verification.evidenceSha256);
    expect((await open(goodPdf, [])).status).toBe("signer-not-checked");
    // verify itself never hands the evidence back unless asked.
    expect(await verifyCertificate(goodPdf)).not.toHaveProperty("evidenceJson");
  });

  it("is refused when modified, signed by someone the CA did not issue, or not a PDF", async () => {
    const modified = Uint8Array.from(goodPdf);
    modified[2500] = (modified[2500] ?? 0) ^ 0x01;
    expect(await refusal(open(modified))).toMatch(
      /^certificate\.pdf is not valid \(.* failed: .*\) — a modified or invalid certificate is not read\.$/,
    );
    const otherCa = (await testPki()).ca.certificatePem;
    expect(await refusal(open(goodPdf, [otherCa]))).toContain("chain failed");
    expect(await refusal(open(new TextEncoder().encode("no pdf")))).toMatch(
      /certificate\.pdf/,
    );
  });

  it("is read by its evidence's version; another version is said, not guessed", () => {
    const evidence = good.evidence;
    expect(evidence.schema).toBe("cellcert.evidence/2");
    expect(evidence.record.side.certificateNumber).toBe(
      "GYOR-BODY-SHOP-20260302-1",
    );
    expect(evidence.record.checks.length).toBeGreaterThan(40);
    // The fixture's stand-in probe evidence names no version: said, never read as if it were one.
    expect(evidence.record.unreadable.length).toBeGreaterThan(0);
    for (const sentence of evidence.record.unreadable)
      expect(sentence).toMatch(
        /(is of no named version, which this Cellcert does not read|does not read as cellcert\.[a-z]+-evidence\/1): what it observed is not compared\.$/,
      );
    const json = JSON.parse(
      Buffer.from(good.evidenceJson).toString("utf8"),
    ) as Record<string, unknown>;
    const as = (value: unknown) =>
      new TextEncoder().encode(JSON.stringify(value));
    expect(() =>
      readCertificateEvidence(
        as({ ...json, schema: "cellcert.evidence/9" }),
        "certificate X",
      ),
    ).toThrow(
      "The evidence of certificate X is cellcert.evidence/9; this Cellcert reads cellcert.evidence/1, cellcert.evidence/2. Update Cellcert to read it.",
    );
    expect(() =>
      readCertificateEvidence(as({ ...json, assessment: 1 }), "certificate X"),
    ).toThrow(/says it is cellcert\.evidence\/2 but does not read as one/);
    // The same audit as an older certificate wrote it (version 1: no refs, no instrument, no source address)
    // reads to the same record, its own version named.
    const v1 = asVersion1(json);
    const older = readCertificateEvidence(as(v1), "certificate X");
    expect(older.schema).toBe("cellcert.evidence/1");
    expect(older.record.side.evidenceSchema).toBe("cellcert.evidence/1");
    expect(older.record.checks).toEqual(evidence.record.checks);
    expect(older.record.observations).toEqual(evidence.record.observations);
    // A probe's evidence of a version this build does not know is listed, not read.
    const runs = json.runs as { evidence: { probe: string; data: object }[] }[];
    const tls = runs.flatMap((r) => r.evidence).find((e) => e.probe === "tls");
    if (tls === undefined) throw new Error("the fixture has no TLS evidence");
    tls.data = { ...tls.data, schema: "cellcert.tls-evidence/9" };
    expect(
      readCertificateEvidence(as(json), "certificate X").record.unreadable,
    ).toContainEqual(
      expect.stringMatching(
        /is cellcert\.tls-evidence\/9, which this Cellcert does not read: what it observed is not compared\.$/,
      ),
    );
  });

  it("makes a plan that validates: no runs, secrets, waivers or attestations; retired endpoints left out; identities to import again", () => {
    const { plan, notes } = reauditPlan(good);
    expect(Plan.safeParse(plan).success).toBe(true);
    expect(plan.runs).toEqual([]);
    expect(plan.waivers).toEqual([]);
    expect(plan.attestations).toEqual([]);
    expect(plan.identities).toEqual([]);
    expect(plan.certificates).toEqual([]);
    expect(plan.endpoints.map((e) => e.id)).not.toContain("pcs-historian");
    expect(plan.endpoints.every((e) => e.clientIdentityId === undefined)).toBe(
      true,
    );
    expect(plan.credentials).toEqual([
      expect.objectContaining({ id: "sql-mes", password: "prompt" }),
    ]);
    expect(plan.plant.name).toBe("Győr body shop");
    expect(plan.plant.startDate).toBeUndefined();
    expect(plan.policy).toEqual(goodPlan.policy);
    expect(plan.previousCertificate).toMatchObject({
      number: "GYOR-BODY-SHOP-20260302-1",
      plantVerdict: "commissioned",
      verified: "valid",
      pdfSha256: good.pdfSha256,
    });
    const toDo = reauditToDo(plan);
    expect(toDo.identities.map((i) => [i.id, i.waitingEndpointIds])).toEqual([
      ["perimeter-client", ["mes-mtls"]],
    ]);
    expect(toDo.attestations.map((a) => a.checkId)).toEqual(
      goodPlan.attestations
        .filter((a) => a.endpointId !== "pcs-historian")
        .map((a) => a.checkId),
    );
    expect(notes).toEqual(
      expect.arrayContaining([
        'Endpoint "Process historian" (pcs-historian) was retired in certificate GYOR-BODY-SHOP-20260302-1 and is left out.',
        expect.stringContaining("does not hold the plan's revocation lists"),
        expect.stringContaining('The client identity "'),
      ]),
    );
  });

  it("compares the good and the broken certificate: the broken one's failures are worse", async () => {
    const broken = await open(brokenPdf);
    const changes = compareAudits(good.evidence.record, broken.evidence.record);
    expect(changes.worse).toBe(true);
    const failing = broken.evidence.record.checks.filter(
      (c) => c.verdict === "fail",
    );
    expect(failing.length).toBeGreaterThan(0);
    for (const check of failing)
      expect(
        changes.changes.find(
          (c) =>
            c.checkId === check.checkId &&
            c.endpointId === check.endpointId &&
            c.kind === "verdict",
        )?.direction,
        `${check.checkId} ${check.endpointId}`,
      ).toBe("worse");
    expect(changes.changes.some((c) => c.kind === "waiver")).toBe(true);
  });
});

describe("the plan's copy of the earlier evidence", () => {
  it("shows the changes while the re-audit goes on, and is not read once changed", async () => {
    const folder = mkdtempSync(join(tmpdir(), "cellcert-reaudit-unit-"));
    const path = join(folder, "plan.cellcert.json");
    const { plan } = await writeReauditPlan(path, good, { exclusive: true });
    await expect(
      writeReauditPlan(path, good, { exclusive: true }),
    ).rejects.toThrow("already exists");

    const live = await planChanges(plan, path, { toolVersion: "test" });
    expect(live?.problem).toBeNull();
    expect(live?.changes?.worse).toBe(false);
    expect(live?.changes?.counts.pending).toBeGreaterThan(0);
    // The certificate states what was not measured again as not-tested: worse.
    const section = await changesSinceCertificate(plan, path, {
      toolVersion: "test",
    });
    expect(section?.title).toBe(
      "Changes since certificate GYOR-BODY-SHOP-20260302-1",
    );
    expect(section?.changes?.worse).toBe(true);
    expect(section?.rows.length).toBe(section?.changes?.changes.length);

    const copy = join(folder, plan.previousCertificate?.evidenceFile ?? "");
    writeFileSync(copy, `${readFileSync(copy, "utf8")} `);
    const changed = await planChanges(plan, path, { toolVersion: "test" });
    expect(changed?.changes).toBeNull();
    expect(changed?.problem).toContain(
      "it was changed, so nothing is compared",
    );
    const unread = await changesSinceCertificate(plan, path, {
      toolVersion: "test",
    });
    expect(unread?.rows).toEqual([]);
    expect(unread?.summary).toMatch(/^Not compared: /);
    expect(
      await changesSinceCertificate(goodPlan, path, { toolVersion: "test" }),
    ).toBeNull();
  });

  it("prints the changes after the findings in the re-audit's certificate, and only there", async () => {
    requireTools("pdftotext");
    const folder = mkdtempSync(join(tmpdir(), "cellcert-reaudit-pdf-"));
    const path = join(folder, "plan.cellcert.json");
    const { plan } = await writeReauditPlan(path, good, { exclusive: true });
    const issued = await issueCertificate(plan, pki.engineer, {
      now: SIGNING_TIME,
      planPath: path,
    });
    const pdfPath = join(folder, "reaudit.pdf");
    writeFileSync(pdfPath, issued.pdf);
    const pages = pageTexts(pdfPath);
    const text = pages.join("\f").replace(/\s+/g, " ");
    const heading = "Changes since certificate GYOR-BODY-SHOP-20260302-1";
    const at = text.indexOf(heading);
    expect(at).toBeGreaterThan(text.indexOf("Findings to fix"));
    expect(at).toBeLessThan(text.indexOf("Boundaries at a glance"));
    const section = text.slice(at, text.indexOf("Boundaries at a glance"));
    expect(section).toContain(
      `This audit was started from certificate GYOR-BODY-SHOP-20260302-1, issued 2026-03-02 15:00 UTC with the plant verdict COMMISSIONED, SHA-256 ${good.pdfSha256}; it verified as valid`,
    );
    // Nothing was measured again: every measured check is now not-tested, worse, in word and symbol.
    expect(section).toMatch(/\d+ worse.*; something got worse\./);
    expect(section).toContain("▼ WORSE");
    expect(section).toContain("ENT-PER.tls.protocol");
    const page = wordBoxes(pdfPath).filter((w) =>
      pages[w.page - 1]?.includes("Changes since certificate"),
    );
    expect(overlappingWords(page)).toEqual([]);
    // A certificate of a plan not started from one has no such section.
    const goodPath = join(folder, "good.pdf");
    writeFileSync(goodPath, goodPdf);
    expect(pageTexts(goodPath).join(" ")).not.toContain("Changes since");
  });
});
