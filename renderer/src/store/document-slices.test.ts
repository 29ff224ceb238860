import { describe, expect, it, vi } from "vitest";
import type {
  IdentityView,
  VerifyReport,
} from "../../../shared/contract/schemas";
import { ApiCallError } from "../api/client";
import { fakeApi } from "../test-support/fake-api";
import { documentView, testPlan } from "../test-support/plans";
import { createAppStore } from "./app-store";
import { anchorNotice } from "./documents-slice";
import { selectPlan } from "./plan-slice";
import { selectSecretOf } from "./secrets-slice";
import { VERIFY_LOOKS, verifyHeadline } from "./verify-slice";

const identity: IdentityView = {
  id: "dana-field",
  role: "engineer",
  name: "Dana Field",
  subject: "CN=Dana Field, O=Commissioning",
  issuer: "CN=Commissioning CA",
  notBefore: "2026-11-25T00:00:00.000Z",
  notAfter: "2029-11-25T00:00:00.000Z",
  fingerprintSha256: "AA:BB",
  keyType: "rsa 3072",
  keyUsage: ["digitalSignature"],
  extendedKeyUsage: [],
  selfSigned: false,
  problems: [],
  warnings: [],
};

const report: VerifyReport = {
  fileName: "X.pdf",
  status: "valid",
  intact: true,
  valid: true,
  checks: [{ id: "cms", outcome: "pass", message: "CMS SignedData." }],
  signer: null,
  signingTime: null,
  certificateNumber: "X-1",
  plantVerdict: "commissioned",
  practice: false,
  trusted: true,
  appendedBytes: 0,
  timeStamp: null,
  judgedAt: null,
  validationData: null,
};

describe("documents, secrets, report, practice and verify", () => {
  it("describe what an anchor import did", () => {
    expect(anchorNotice(["CN=Plant CA"], [])).toBe("Added CN=Plant CA.");
    expect(anchorNotice([], ["CN=Old"])).toBe("Already in the plan: CN=Old.");
    expect(anchorNotice([], [])).toBe("The file held no certificate to add.");
  });

  it("take the plan each document call answers with, and keep the CA for the customer", async () => {
    const plan = testPlan({ plant: { name: "After" } });
    const api = fakeApi({
      "identity:create": () =>
        Promise.resolve({
          document: documentView(plan, 2),
          identity,
          caPem: "-----BEGIN CERTIFICATE-----",
        }),
      "secret:status": () => Promise.resolve([]),
    });
    const store = createAppStore(api);
    const ok = await store.getState().createIdentity({
      name: "Dana Field",
      company: "Commissioning",
      withCommissioningCa: true,
      passphraseRef: "prompt",
      passphrase: "correct horse",
    });
    expect(ok).toBe(true);
    expect(selectPlan(store.getState())?.plant.name).toBe("After");
    expect(store.getState().documents.caPem).toBe(
      "-----BEGIN CERTIFICATE-----",
    );
    expect(store.getState().documents.described["dana-field"]).toEqual(
      identity,
    );
  });

  it("keep the engine's sentence beside the import that failed", async () => {
    const api = fakeApi({
      "identity:import": () =>
        Promise.reject(
          new ApiCallError(
            "invalid-input",
            "The passphrase does not open perimeter.p12.",
          ),
        ),
    });
    const store = createAppStore(api);
    const ok = await store.getState().importIdentity({
      role: "client",
      name: "Perimeter",
      source: { kind: "upload", fileName: "perimeter.p12", base64: "AA==" },
      passphraseRef: "prompt",
      passphrase: "wrong",
    });
    expect(ok).toBe(false);
    expect(store.getState().documents.identityError).toBe(
      "The passphrase does not open perimeter.p12.",
    );
  });

  it("hand a secret to the engine, never keep it, and remember a refusal per owner", async () => {
    const provide = vi.fn(() =>
      Promise.reject(new ApiCallError("invalid-input", "Not in the keychain.")),
    );
    const store = createAppStore(
      fakeApi({
        "secret:provide": provide,
        "secret:status": () =>
          Promise.resolve([
            {
              owner: {
                kind: "identity",
                id: "dana-field",
                label: "the engineer identity",
              },
              ref: "prompt",
              available: false,
              detail: "not entered yet",
            },
          ]),
      }),
    );
    await store.getState().loadSecrets();
    expect(
      selectSecretOf("identity", "dana-field")(store.getState())?.available,
    ).toBe(false);
    expect(
      await store
        .getState()
        .provideSecret({ kind: "identity", id: "dana-field" }, "s3cret", false),
    ).toBe(false);
    expect(store.getState().secrets.provideErrors["identity:dana-field"]).toBe(
      "Not in the keychain.",
    );
    expect(JSON.stringify(store.getState())).not.toContain("s3cret");
  });

  it("downloads a browser-mode export and can download it again", async () => {
    const deliver = vi.fn();
    const api = fakeApi({
      "report:export": () =>
        Promise.resolve({
          number: "TEST-PLANT-20261125-1",
          plantVerdict: "not commissioned",
          fileName: "TEST-PLANT-20261125-1.pdf",
          savedTo: null,
          download: {
            fileName: "TEST-PLANT-20261125-1.pdf",
            base64: "JVBERg==",
          },
          warnings: [],
          document: documentView(testPlan(), 3),
          timeStamp: null,
        }),
      "report:preview": () =>
        Promise.reject(new ApiCallError("internal", "later")),
    });
    const store = createAppStore(api, { deliver });
    expect(await store.getState().exportCertificate("dana-field")).toBe(true);
    expect(deliver).toHaveBeenCalledWith(
      "TEST-PLANT-20261125-1.pdf",
      "JVBERg==",
    );
    store.getState().downloadAgain();
    expect(deliver).toHaveBeenCalledTimes(2);
    expect(store.getState().plan.document?.revision).toBe(3);
  });

  it("starts the practice plant and opens its plan", async () => {
    const practicePlan = testPlan({
      practice: true,
      plant: { name: "Practice plant" },
    });
    const store = createAppStore(
      fakeApi({
        "practice:start": () =>
          Promise.resolve(
            documentView(practicePlan, 1, {
              location: "practice.cellcert.json",
            }),
          ),
        "practice:status": () =>
          Promise.resolve({
            running: true,
            broken: true,
            folder: "/tmp/p",
            passphraseHint: "practice-only",
          }),
        "secret:status": () => Promise.resolve([]),
      }),
    );
    expect(await store.getState().startPractice(true)).toBe(true);
    expect(selectPlan(store.getState())?.practice).toBe(true);
    expect(store.getState().practice.status?.broken).toBe(true);
    // Its setup is filled in already: the practice plant opens on the first step of the walk.
    expect(store.getState().wizard.position).toEqual({
      screen: "walk",
      vantage: "enterprise",
    });
  });

  it("says why the practice plant did not start", async () => {
    const store = createAppStore(
      fakeApi({
        "practice:start": () =>
          Promise.reject(
            new ApiCallError(
              "unavailable",
              'The practice plant is not part of this build; run "npm run build" first.',
            ),
          ),
      }),
    );
    expect(await store.getState().startPractice(false)).toBe(false);
    expect(store.getState().practice.error).toContain("npm run build");
    expect(store.getState().practice.starting).toBeNull();
  });

  it("verifies with the commissioning CAs given, and sums the result up", async () => {
    const verify = vi.fn(() => Promise.resolve(report));
    const store = createAppStore(fakeApi({ "report:verify": verify }));
    store.getState().addVerifyCa("ca.pem", "PEM-A");
    store.getState().addVerifyCa("ca.pem", "PEM-B");
    await store
      .getState()
      .verifyCertificate({ kind: "upload", fileName: "X.pdf", base64: "AA==" });
    expect(verify).toHaveBeenCalledWith({
      source: { kind: "upload", fileName: "X.pdf", base64: "AA==" },
      caPems: ["PEM-B"],
    });
    expect(verifyHeadline(report)).toBe(
      "Valid: intact, and signed under the commissioning CA given",
    );
    const unchecked: VerifyReport = {
      ...report,
      status: "signer-not-checked",
      valid: false,
      trusted: null,
    };
    expect(verifyHeadline(unchecked)).toBe(
      "Intact, signer NOT checked: unchanged since signing, but who signed it was not checked",
    );
    expect(
      verifyHeadline({
        ...report,
        status: "invalid",
        intact: false,
        valid: false,
        checks: [
          {
            id: "whole-file",
            outcome: "fail",
            message: "Bytes follow the signed revision.",
          },
        ],
      }),
    ).toBe("Not valid: Bytes follow the signed revision.");
    // Three answers, three words and three symbols: none of them reads as another.
    expect(
      Object.values(VERIFY_LOOKS).map((look) => [look.word, look.symbol]),
    ).toEqual([
      ["Valid", "check"],
      ["Intact, signer NOT checked", "alert"],
      ["Not valid", "cross"],
    ]);
  });

  it("checks the same uploaded document again with the CA an answer asked for", async () => {
    const verify = vi.fn(({ caPems = [] }: { caPems?: string[] }) =>
      Promise.resolve<VerifyReport>(
        caPems.length === 0
          ? {
              ...report,
              status: "signer-not-checked",
              valid: false,
              trusted: null,
            }
          : report,
      ),
    );
    const store = createAppStore(fakeApi({ "report:verify": verify }));
    const source = {
      kind: "upload",
      fileName: "X.pdf",
      base64: "AA==",
    } as const;
    await store.getState().verifyCertificate(source);
    expect(store.getState().verify.result?.status).toBe("signer-not-checked");
    await store.getState().checkSignerWith("ca.pem", "PEM-A");
    expect(verify).toHaveBeenLastCalledWith({ source, caPems: ["PEM-A"] });
    expect(store.getState().verify.result?.status).toBe("valid");
    // A document chosen in the desktop's dialog is not kept: the CA is added, and the answer goes stale.
    await store.getState().verifyCertificate({ kind: "dialog" });
    await store.getState().checkSignerWith("other.pem", "PEM-B");
    expect(verify).toHaveBeenCalledTimes(3);
    expect(store.getState().verify.result).toBeNull();
  });

  it("forget what was said about a plan, an anchor or an identity once it is gone", async () => {
    const anchor = {
      id: "plant-ca",
      name: "Plant CA",
      pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
      subject: "CN=Plant CA",
      fingerprintSha256: Array.from({ length: 32 }, () => "AB").join(":"),
    };
    const engineer = {
      id: "dana-field",
      role: "engineer" as const,
      name: "Dana Field",
      file: "identities/dana-field.p12",
      passphrase: "prompt",
    };
    const location = { location: "riverside.cellcert.json" };
    const full = testPlan({ trustAnchors: [anchor], identities: [engineer] });
    const store = createAppStore(
      fakeApi({
        "anchor:import": () =>
          Promise.resolve({
            document: documentView(full, 2, location),
            added: [anchor],
            alreadyPresent: [],
            warnings: [],
          }),
        "identity:create": () =>
          Promise.resolve({
            document: documentView(full, 3, location),
            identity,
            caPem: "-----BEGIN CERTIFICATE-----",
          }),
        "secret:status": () => Promise.resolve([]),
        "report:preview": () =>
          Promise.reject(new ApiCallError("internal", "No preview here.")),
      }),
    );
    store.getState().receivePlan(documentView(testPlan(), 1, location));
    await store
      .getState()
      .importAnchor({ kind: "upload", fileName: "ca.pem", base64: "AA==" });
    await store.getState().createIdentity({
      name: "Dana Field",
      company: "Commissioning",
      withCommissioningCa: true,
      passphraseRef: "prompt",
      passphrase: "correct horse",
    });
    await store.getState().loadReportPreview();
    const documents = () => store.getState().documents;
    expect(documents().anchorNotice).toBe("Added CN=Plant CA.");
    expect(documents().caPem).not.toBeNull();
    expect(store.getState().report.previewError).toBe("No preview here.");

    // The anchor goes: the notice that it was added goes with it; the identity's stay.
    store
      .getState()
      .receivePlan(documentView({ ...full, trustAnchors: [] }, 4, location));
    expect(documents().anchorNotice).toBeNull();
    expect(documents().identityNotice).toBe(`Created ${identity.subject}.`);
    expect(documents().caPem).not.toBeNull();
    // The identity goes: so do its notice, its description and the CA made with it.
    store
      .getState()
      .receivePlan(
        documentView(
          { ...full, trustAnchors: [], identities: [] },
          5,
          location,
        ),
      );
    expect(documents().identityNotice).toBeNull();
    expect(documents().caPem).toBeNull();
    expect(documents().described).toEqual({});

    // Another plan starts with nothing said about this one.
    await store.getState().loadReportPreview();
    store
      .getState()
      .receivePlan(
        documentView(testPlan(), 1, { location: "other.cellcert.json" }),
      );
    expect(store.getState().report.previewError).toBeNull();
    expect(store.getState().report.exported).toBeNull();
  });

  it("drop a verification once the CAs it was judged against change", async () => {
    const store = createAppStore(
      fakeApi({ "report:verify": () => Promise.resolve(report) }),
    );
    const pdf = { kind: "upload", fileName: "X.pdf", base64: "AA==" } as const;
    await store.getState().verifyCertificate(pdf);
    expect(store.getState().verify.result).toEqual(report);
    store.getState().addVerifyCa("ca.pem", "PEM-A");
    expect(store.getState().verify.result).toBeNull();
    await store.getState().verifyCertificate(pdf);
    store.getState().removeVerifyCa("ca.pem");
    expect(store.getState().verify.result).toBeNull();
  });
});
