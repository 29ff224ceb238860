import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../../shared/model/plan";
import { fixturePlan } from "../../../test/support/certificate-plans";
import {
  SIGNING_TIME,
  testPki,
  type TestPki,
} from "../../../test/support/certificate-identities";
import { verifyCertificate } from "../signing/verify";
import type { EvidenceDocument } from "./evidence";
import { certificatePreview, issueCertificate } from "./issue";

let pki: TestPki;
let good: Plan;
let broken: Plan;

beforeAll(async () => {
  pki = await testPki();
  good = await fixturePlan("good");
  broken = await fixturePlan("broken");
});

const evidenceOf = (bytes: Uint8Array): EvidenceDocument =>
  JSON.parse(Buffer.from(bytes).toString("utf8")) as EvidenceDocument;

describe("issuing a certificate", () => {
  it("signs a good plant's certificate and returns the record for plan.certificates", async () => {
    const issued = await issueCertificate(good, pki.engineer, {
      now: SIGNING_TIME,
    });
    expect(issued.number).toBe("GYOR-BODY-SHOP-20260302-1");
    expect(issued.plantVerdict).toBe("commissioned");
    expect(issued.practice).toBe(false);
    expect(issued.record).toEqual({
      number: "GYOR-BODY-SHOP-20260302-1",
      issuedAt: "2026-03-02T15:00:00.000Z",
      plantVerdict: "commissioned",
      pdfSha256: createHash("sha256").update(issued.pdf).digest("hex"),
      evidenceSha256: createHash("sha256")
        .update(issued.evidence)
        .digest("hex"),
      signerFingerprint: issued.record.signerFingerprint,
    });
    expect(issued.record.signerFingerprint).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );
    const verified = await verifyCertificate(issued.pdf, {
      caPems: [pki.ca.certificatePem],
    });
    expect(verified.checks.filter((c) => c.outcome !== "pass")).toEqual([]);
    expect(verified).toMatchObject({
      valid: true,
      trusted: true,
      certificateNumber: issued.number,
      plantVerdict: "commissioned",
      practice: false,
      evidenceSha256: issued.evidenceSha256,
      signingTime: "2026-03-02T15:00:00.000Z",
    });
    // The fonts are embedded DejaVu subsets; pdfkit's default Helvetica never appears.
    const text = Buffer.from(issued.pdf).toString("latin1");
    expect(text).not.toContain("/Helvetica");
    expect(text).toContain("+DejaVuSans");
  });

  it("writes an evidence document of everything the certificate states, without secrets or file paths", async () => {
    const issued = await issueCertificate(good, pki.engineer, {
      now: SIGNING_TIME,
    });
    const evidence = evidenceOf(issued.evidence);
    expect(evidence.schema).toBe("cellcert.evidence/2");
    expect(evidence.practice).toBe(false);
    expect(evidence.practiceNotice).toBeUndefined();
    expect(evidence.certificate).toMatchObject({
      number: issued.number,
      issuedAt: "2026-03-02T15:00:00.000Z",
      nextAuditDate: "2027-03-02",
      plantVerdict: "commissioned",
    });
    expect(evidence.certificate.clockNotice).toMatch(/laptop's clock/);
    expect(evidence.plant.name).toBe("Győr body shop");
    expect(evidence.signOff).toMatchObject({
      engineer: "Łukasz Nowak",
      witnessName: "María Muñoz",
    });
    expect(evidence.signer.subject).toBe(
      "CN=Łukasz Nowak, O=Muñoz Automatización S.L.",
    );
    expect(evidence.signer.certificatesPem).toEqual([
      pki.engineer.certificatePem,
      pki.ca.certificatePem,
    ]);
    expect(evidence.runs.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5]);
    // Evidence ids R<run>-E<n>: unique over the plan, where the runs' own ids repeat, and what the checks cite.
    const refs = evidence.runs.flatMap((run) =>
      run.evidence.map((record, index) => {
        expect(record.ref).toBe(`R${run.sequence}-E${index + 1}`);
        return record.ref;
      }),
    );
    expect(refs.length).toBeGreaterThan(5);
    expect(new Set(refs).size).toBe(refs.length);
    const cited = evidence.assessment.boundaries.flatMap((b) =>
      b.checks.flatMap((c) => c.evidenceRefs),
    );
    expect(cited.length).toBeGreaterThan(20);
    for (const ref of cited) expect(refs).toContain(ref);
    expect(evidence.assessment.boundaries).toHaveLength(8);
    expect(evidence.assessment.counts.pass).toBeGreaterThan(40);
    expect(evidence.identities[0]).toEqual({
      id: "perimeter-client",
      role: "client",
      name: "Perimeter reverse proxy client",
      subject: "CN=perimeter-proxy.gyor.plant.example",
      fingerprintSha256: good.identities[0]!.fingerprintSha256,
      notAfter: null,
    });
    const json = Buffer.from(issued.evidence).toString("utf8");
    expect(json).not.toMatch(
      /env:[A-Z]|CELLCERT_[A-Z]|\.p12\b|passphrase|password/,
    );
  });

  it("states a broken plant as not commissioned, with its failures", async () => {
    const issued = await issueCertificate(broken, pki.engineer, {
      now: SIGNING_TIME,
    });
    expect(issued.plantVerdict).toBe("not commissioned");
    const evidence = evidenceOf(issued.evidence);
    const remote = evidence.assessment.boundaries.find(
      (b) => b.id === "REMOTE",
    );
    expect(remote).toMatchObject({ inScope: false, verdict: null });
    expect(remote?.outOfScopeReason).toMatch(/Łódź office/);
    expect(evidence.assessment.blockers.map((b) => b.checkId)).toContain(
      "ENT-PER.tls.protocol",
    );
    expect(evidence.waivers).toHaveLength(1);
    expect((await verifyCertificate(issued.pdf)).plantVerdict).toBe(
      "not commissioned",
    );
  });

  it("says commissioned with waivers when a waiver was needed", async () => {
    const runs = good.runs.map((run) => ({
      ...run,
      results: run.results.map((r) =>
        r.checkId === "APP-EXT.cert.validity"
          ? {
              ...r,
              verdict: "fail" as const,
              message: "The certificate expired on 2026-02-20.",
            }
          : r,
      ),
    }));
    const waived: Plan = {
      ...good,
      runs,
      waivers: [
        {
          checkId: "APP-EXT.cert.validity",
          endpointId: "erp-gateway",
          justification: "Renewal ordered from Muñoz Logística (ticket 4471).",
          name: "María Muñoz",
          approvedBy: "María Muñoz",
          date: "2026-03-02",
          notes: "",
        },
      ],
    };
    const issued = await issueCertificate(waived, pki.engineer, {
      now: SIGNING_TIME,
    });
    expect(issued.plantVerdict).toBe("commissioned with waivers");
    // The stamp on page 1 says so too, and verify finds it there (not "COMMISSIONED" inside it).
    const verified = await verifyCertificate(issued.pdf, {
      caPems: [pki.ca.certificatePem],
    });
    expect(verified.status).toBe("valid");
    expect(verified.checks.find((c) => c.id === "plant-verdict")?.message).toBe(
      "Page 1's stamp and the document information state the verdict of the signed evidence: COMMISSIONED WITH WAIVERS.",
    );
  });

  it("marks a practice certificate as PRACTICE in the evidence and the signed document information", async () => {
    const practice = await fixturePlan("good", { practice: true });
    const issued = await issueCertificate(practice, pki.engineer, {
      now: SIGNING_TIME,
    });
    const evidence = evidenceOf(issued.evidence);
    expect(evidence.practice).toBe(true);
    expect(evidence.practiceNotice).toMatch(
      /^PRACTICE: .*not a commissioning certificate/,
    );
    expect((await verifyCertificate(issued.pdf)).practice).toBe(true);
  });

  it("refuses an identity other than the one the sign-off names", async () => {
    const named: Plan = {
      ...good,
      signOff: {
        ...good.signOff,
        identityFingerprint: "AA:".repeat(31) + "AA",
      },
    };
    await expect(
      issueCertificate(named, pki.engineer, { now: SIGNING_TIME }),
    ).rejects.toThrow(
      /The plan's sign-off names the engineer identity AA:AA.*, but this identity is [0-9A-F:]+ \(CN=Łukasz Nowak/,
    );
  });

  it("refuses to sign with an expired identity", async () => {
    await expect(
      issueCertificate(good, pki.engineer, {
        now: new Date("2030-01-01T00:00:00Z"),
      }),
    ).rejects.toThrow(/expired on 2028-12-31/);
  });

  it("previews what the next certificate will say", () => {
    expect(
      certificatePreview(
        {
          ...good,
          signOff: {
            engineer: "",
            company: "",
            witnessName: "",
            identityFingerprint: "",
          },
        },
        SIGNING_TIME,
        "CN=Ștefan Pop, O=Győr Automation",
      ),
    ).toEqual({
      number: "GYOR-BODY-SHOP-20260302-1",
      plantVerdict: "commissioned",
      practice: false,
      engineer: "Ștefan Pop",
      company: "Győr Automation",
      witnessName: "",
      nextAuditDate: "2027-03-02",
    });
  });
});
