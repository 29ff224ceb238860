// PAdES B-T and the /DSS, signed against TSAs on 127.0.0.1: OpenSSL's `openssl ts -reply` behind Node HTTP (an
// implementation Cellcert did not write) and Cellcert's practice TSA. The signed document is judged by pdfsig,
// qpdf, `openssl cms -verify` and — for the token — `openssl ts -verify`; every way a TSA can fail leaves no
// file, records nothing and exits 2 with a sentence naming the TSA. `cellcert verify` checks OpenSSL's token with
// the TSA's CA (or says it is not checked without it, the exit unchanged) and finds a token of another signature
// value or of a certificate without timeStamping.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../shared/model/plan";
import { serializePlan } from "../../shared/model/serialize";
import { certifyCommand } from "../../electron/cli/commands/certify";
import {
  verifyCommand,
  type VerifyReport,
} from "../../electron/cli/commands/verify";
import { signPreparedPdfWithTimeStamp } from "../../electron/engine/signing/sign";
import { createPracticePki } from "../../electron/demo/pki";
import {
  startTimeStampAuthority,
  type RunningTimeStampAuthority,
  type TimeStampAuthorityOptions,
} from "../../electron/demo/practice-tsa";
import { dispatch } from "../../electron/engine/api/dispatch";
import {
  createCommissioningCa,
  createEngineerIdentity,
  createTimeStampingIdentity,
  writePkcs12,
  type CreatedIdentity,
} from "../../electron/engine/identity";
import { readPlanFile } from "../../electron/engine/plan-store/plan-file";
import {
  PdfFile,
  type PdfValue,
} from "../../electron/engine/signing/pdf-objects";
import { verifyCertificate } from "../../electron/engine/signing/verify";
import { testPki, type TestPki } from "../support/certificate-identities";
import { fixturePlan } from "../support/certificate-plans";
import {
  requireTools,
  signatureTimeStamp,
  signedParts,
  tool,
} from "../support/certificate-tools";
import { captureIo } from "../support/cli";
import { createTestEngine } from "../support/engine";
import {
  askForToken,
  startOpensslTsa,
  type OpensslTsa,
} from "../support/openssl-tsa";
import {
  crlIssuedBy,
  preparedForTimeStamp,
  signedWithToken,
} from "../support/time-stamped";

const PASSPHRASE = "Ștefan-2026";
const env = { CELLCERT_P12_PASSPHRASE: PASSPHRASE };
let folder: string;
let pki: TestPki;
let plan: Plan;
let openssl: OpensslTsa;
let tsaCa: CreatedIdentity;
const tsas: Record<
  "own" | "noEku" | "nonCritical" | "wrongClock" | "bigChain",
  RunningTimeStampAuthority
> = {} as never;
let closedPort: number;

const write = (name: string, bytes: Uint8Array | string): string => {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
};

/** A plan file of its own, so a row that records a certificate leaves the others alone. */
const planFile = (name: string, policy: Partial<Plan["policy"]> = {}) =>
  write(
    `${name}.cellcert.json`,
    serializePlan({ ...plan, policy: { ...plan.policy, ...policy } }),
  );

async function certify(
  name: string,
  options: { tsa?: string; policy?: Partial<Plan["policy"]> } = {},
) {
  const planPath = planFile(name, options.policy);
  const out = join(folder, `${name}.pdf`);
  const io = captureIo({ cwd: folder, env });
  const code = await certifyCommand(
    {
      plan: planPath,
      identity: "engineer.p12",
      passphraseEnv: "CELLCERT_P12_PASSPHRASE",
      out,
      ...(options.tsa !== undefined && { tsa: options.tsa }),
    },
    io,
  );
  return {
    code,
    out,
    planPath,
    stdout: io.out.join("\n"),
    stderr: io.err.join("\n"),
  };
}

const ownTsa = (
  identity: TimeStampAuthorityOptions["identity"],
  extra: Partial<TimeStampAuthorityOptions> = {},
) =>
  startTimeStampAuthority({
    address: "127.0.0.1",
    port: 0,
    identity,
    ...extra,
  });

beforeAll(async () => {
  requireTools("openssl", "pdfsig", "qpdf");
  folder = mkdtempSync(join(tmpdir(), "cellcert-timestamp-"));
  pki = await testPki();
  write("engineer.p12", writePkcs12(pki.engineer, PASSPHRASE));
  write("ca.pem", pki.ca.certificatePem);
  plan = await fixturePlan("good");
  openssl = await startOpensslTsa();

  tsaCa = await createCommissioningCa({ company: "Cellcert Test TSA" });
  write("own-tsa-ca.pem", tsaCa.certificatePem);
  const tsaIdentity = await createTimeStampingIdentity({
    name: "Cellcert Test TSA",
    company: "Cellcert Test TSA",
    issuer: tsaCa,
  });
  tsas.own = await ownTsa(tsaIdentity);
  tsas.wrongClock = await ownTsa(tsaIdentity, { fault: "wrong-clock" });
  // A document signer's identity (emailProtection) answering as a TSA.
  tsas.noEku = await ownTsa(
    await createEngineerIdentity({
      name: "Not a TSA",
      company: "Cellcert Test TSA",
      issuer: tsaCa,
    }),
  );
  // OpenSSL will not sign with a certificate whose timeStamping is not critical: Cellcert's TSA does.
  tsas.nonCritical = await ownTsa({
    privateKey: createPrivateKey(openssl.nonCriticalKeyPem),
    certificatePem: openssl.nonCriticalCertificatePem,
    chainPems: [readFileSync(openssl.caFile, "utf8")],
  });
  // A TSA whose token carries two certificates of ~15 KB each: more than the room reserved beside the CMS.
  const bulky = (n: number) =>
    createPracticePki({ name: `Bulky ${n}` }).issueLeaf({
      commonName: `bulky-${n}.tsa.test`,
      dnsNames: Array.from(
        { length: 300 },
        (_, i) => `a-rather-long-alternative-name-${i}.bulky-${n}.tsa.test`,
      ),
    }).pem;
  tsas.bigChain = await ownTsa({
    ...tsaIdentity,
    chainPems: [...tsaIdentity.chainPems, bulky(1), bulky(2)],
  });

  // A port nothing listens on.
  const probe = createServer();
  await new Promise<void>((resolve) =>
    probe.listen(0, "127.0.0.1", () => resolve()),
  );
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}, 120_000);

afterAll(async () => {
  await openssl.close();
  await Promise.all(Object.values(tsas).map((tsa) => tsa.close()));
});

describe("certify with a time-stamping authority (PAdES B-T, B-LT data in the signed revision)", () => {
  let pdf: Buffer;
  let stdout: string;

  beforeAll(async () => {
    const signed = await certify("openssl", { tsa: openssl.url("good") });
    expect(signed.stderr).toBe("");
    expect(signed.code).toBe(0);
    pdf = readFileSync(signed.out);
    stdout = signed.stdout;
  }, 60_000);

  it("says who time-stamped it and when", () => {
    expect(stdout).toContain(
      `Asking the time-stamping authority ${openssl.url("good")} for a time-stamp…`,
    );
    expect(stdout).toMatch(
      new RegExp(
        `Time-stamped: +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC by the time-stamping authority ${openssl.url("good")} \\(CN=OpenSSL tsa, O=Independent Test TSA; policy 1\\.2\\.3\\.4\\.1\\)`,
      ),
    );
  });

  it("carries a token that openssl ts -verify accepts against the imprint of the signature value", () => {
    const stamp = signatureTimeStamp(pdf);
    if (stamp === null) throw new Error("The signature carries no time-stamp.");
    const token = write("openssl.tsr", stamp.token);
    const verified = tool("openssl", [
      "ts",
      "-verify",
      "-digest",
      stamp.imprintHex,
      "-in",
      token,
      "-token_in",
      "-CAfile",
      openssl.caFile,
    ]);
    expect(verified.output).toContain("Verification: OK");
    // Another imprint is refused: the check above is not a formality.
    const other = tool("openssl", [
      "ts",
      "-verify",
      "-digest",
      "00".repeat(32),
      "-in",
      token,
      "-token_in",
      "-CAfile",
      openssl.caFile,
    ]);
    expect(other.output).not.toContain("Verification: OK");
  });

  it("stays valid for cellcert verify, pdfsig, qpdf and openssl cms -verify", async () => {
    // The signer's CA and the TSA's: every check passes, the time-stamp's too.
    const result = await verifyCertificate(pdf, {
      caPems: [pki.ca.certificatePem, readFileSync(openssl.caFile, "utf8")],
    });
    expect(
      result.checks.filter((c) => c.outcome !== "pass").map((c) => c.id),
    ).toEqual([]);
    expect(result.valid).toBe(true);
    const path = write("openssl-check.pdf", pdf);
    expect(tool("pdfsig", [path]).output).toContain(
      "Signature Validation: Signature is Valid.",
    );
    expect(tool("qpdf", ["--check", path]).output).toContain(
      "No syntax or stream encoding errors found",
    );
    const { signedBytes, cms } = signedParts(pdf);
    const cmsVerify = tool("openssl", [
      "cms",
      "-verify",
      "-binary",
      "-inform",
      "DER",
      "-in",
      write("openssl.p7s", cms),
      "-content",
      write("openssl.signed-bytes", signedBytes),
      "-CAfile",
      join(folder, "ca.pem"),
      "-out",
      "/dev/null",
    ]);
    expect(cmsVerify.output).toContain("Verification successful");
  });

  it("keeps the signer's chain in a /DSS of the signed revision, and any appended byte still fails verify", async () => {
    const file = new PdfFile(pdf);
    const root = file.dict(file.trailer?.get("Root"));
    const dss = file.dict(root?.get("DSS"));
    const ders = file
      .array(dss?.get("Certs"))
      .map((ref: PdfValue) => file.streamData(ref))
      .map((stream) => ("data" in stream ? Buffer.from(stream.data) : null));
    expect(ders).toEqual([
      new X509Certificate(pki.engineer.certificatePem).raw,
      new X509Certificate(pki.ca.certificatePem).raw,
    ]);
    expect(dss?.get("CRLs")).toBeUndefined(); // the plan holds no CRLs
    const appended = Buffer.concat([pdf, Buffer.from("\n")]);
    const result = await verifyCertificate(appended, {
      caPems: [pki.ca.certificatePem],
    });
    expect(result.valid).toBe(false);
    expect(result.checks.find((c) => c.id === "whole-file")?.outcome).toBe(
      "fail",
    );
  });
});

describe("cellcert verify of a time-stamped certificate", () => {
  let stamped: string;
  const cli = async (file: string, ...cas: string[]) => {
    const io = captureIo({ cwd: folder });
    const code = await verifyCommand(file, { ca: cas }, io);
    return { code, out: io.out.join("\n") };
  };
  const json = async (file: string, ...cas: string[]) => {
    const io = captureIo({ cwd: folder });
    const code = await verifyCommand(file, { ca: cas, json: true }, io);
    return { code, report: JSON.parse(io.out.join("\n")) as VerifyReport };
  };

  beforeAll(async () => {
    const signed = await certify("openssl-verify", {
      tsa: openssl.url("good"),
    });
    expect(signed.code).toBe(0);
    stamped = signed.out;
    write("openssl-tsa-ca.pem", readFileSync(openssl.caFile));
  }, 60_000);

  it("checks OpenSSL's token with the TSA's CA given beside the signer's: exit 0, the signer judged at its time", async () => {
    const { code, out } = await cli(stamped, "ca.pem", "openssl-tsa-ca.pem");
    expect(code).toBe(0);
    expect(out).toContain("VALID — signed, and unchanged since signing.");
    expect(out).toMatch(
      /^Time-stamped +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by CN=OpenSSL tsa, O=Independent Test TSA \(policy 1\.2\.3\.4\.1\): checked, its time-stamping authority chains to a CA given$/m,
    );
    expect(out).toMatch(
      /^Signer judged at +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, the time-stamp's time$/m,
    );
    expect(out).toMatch(/✔ PASS +time-stamp +Time-stamped /);
    const { report } = await json(stamped, "ca.pem", "openssl-tsa-ca.pem");
    expect(report).toMatchObject({
      schema: "cellcert.verify-report/2",
      status: "valid",
      timeStamp: {
        tsa: "CN=OpenSSL tsa, O=Independent Test TSA",
        tsaIssuer: "CN=Independent Test TSA Root, O=Independent Test TSA",
        policy: "1.2.3.4.1",
        status: "checked",
      },
      judgedAt: { by: "time-stamp" },
    });
    expect(report.judgedAt?.time).toBe(report.timeStamp?.time);
    expect(report.checks.find((c) => c.id === "time-stamp")?.message).toMatch(
      /^Time-stamped .* by CN=OpenSSL tsa, O=Independent Test TSA \(policy 1\.2\.3\.4\.1, serial [0-9A-F]+\), which chains to the trusted CA CN=Independent Test TSA Root, O=Independent Test TSA: the signer is judged at the time-stamp's time\./,
    );
  });

  it("says 'time-stamp not checked' when the TSA's CA is not given, judges the signer at /M, and exits as before", async () => {
    const { code, out } = await cli(stamped, "ca.pem");
    expect(code).toBe(0);
    expect(out).toContain("VALID — signed, and unchanged since signing.");
    expect(out).toMatch(
      /^Time-stamped +.* \(policy 1\.2\.3\.4\.1\): NOT checked, its time-stamping authority chains to none of the CAs given \(give its CA with --ca to check it\)$/m,
    );
    expect(out).toMatch(
      /^Signer judged at +\d{4}-\d\d-\d\d \d\d:\d\d UTC, the signing time by the signer's laptop clock$/m,
    );
    expect(out).toMatch(/– SKIPPED +time-stamp +Time-stamp NOT checked: /);
    // Without any CA: intact, neither checked, exit 2 as for any intact document.
    const none = await json(stamped);
    expect(none.code).toBe(2);
    expect(none.report.status).toBe("signer-not-checked");
    expect(none.report.timeStamp?.status).toBe("not-checked");
  });

  it("finds OpenSSL's token over another signature value: invalid, exit 1", async () => {
    const token = await askForToken(
      openssl.url("good"),
      Buffer.from("the signature value of another document"),
    );
    const other = write(
      "openssl-other-signature.pdf",
      await signedWithToken(
        await preparedForTimeStamp(plan, pki.engineer, new Date()),
        pki.engineer,
        () => token,
      ),
    );
    for (const cas of [["ca.pem", "openssl-tsa-ca.pem"], ["ca.pem"], []]) {
      const { code, report } = await json(other, ...cas);
      expect(code, cas.join(" ")).toBe(1);
      expect(
        report.checks.filter((c) => c.outcome === "fail").map((c) => c.id),
      ).toEqual(["time-stamp"]);
    }
  });

  it("finds a token signed by a certificate without timeStamping, or without it marked critical: invalid, exit 1", async () => {
    const prepared = await preparedForTimeStamp(plan, pki.engineer, new Date());
    for (const [tsa, problem] of [
      [
        tsas.noEku,
        "whose certificate does not have the extended key usage timeStamping (it has emailProtection)",
      ],
      [
        tsas.nonCritical,
        "whose certificate's extended key usage timeStamping is not marked critical",
      ],
    ] as const) {
      // Over this document's own signature value, asked for once it is known.
      const document = await signPreparedPdfWithTimeStamp(
        prepared,
        pki.engineer,
        (signatureValue) => askForToken(tsa.url, signatureValue),
      );
      const path = write(`no-timestamping-${tsa.url.length}.pdf`, document);
      const { code, report } = await json(
        path,
        "ca.pem",
        "own-tsa-ca.pem",
        "openssl-tsa-ca.pem",
      );
      expect(code).toBe(1);
      const check = report.checks.find((c) => c.id === "time-stamp");
      expect(check?.outcome).toBe("fail");
      expect(check?.message).toContain(problem);
    }
  });
});

describe("the /DSS and the plan's CRLs", () => {
  it("carries the plan's CRLs that a certificate of the signer's chain issued, and no other", async () => {
    const ours = crlIssuedBy(pki.ca, []);
    const foreign = crlIssuedBy(tsaCa, []);
    const crlEntry = (id: string, pem: string) => ({
      id,
      name: `${id}.crl`,
      pem,
      issuer: id,
      thisUpdate: new Date().toISOString(),
      nextUpdate: null,
      entries: 0,
    });
    const saved = plan;
    plan = {
      ...plan,
      crls: [
        crlEntry("signer-ca", ours.pem),
        crlEntry("other-ca", foreign.pem),
      ],
    };
    try {
      const signed = await certify("dss-crls");
      expect(signed.code).toBe(0);
      const file = new PdfFile(readFileSync(signed.out));
      const root = file.dict(file.trailer?.get("Root"));
      const dss = file.dict(root?.get("DSS"));
      const crls = file
        .array(dss?.get("CRLs"))
        .map((ref: PdfValue) => file.streamData(ref))
        .map((stream) => ("data" in stream ? Buffer.from(stream.data) : null));
      expect(crls).toEqual([ours.der]);
    } finally {
      plan = saved;
    }
  });
});

describe("the plan's time-stamping authority", () => {
  it("time-stamps without --tsa, with Cellcert's own TSA, whose token openssl ts -verify accepts", async () => {
    const signed = await certify("plan-tsa", {
      policy: { timestampAuthority: tsas.own.url },
    });
    expect(signed.stderr).toBe("");
    expect(signed.code).toBe(0);
    const pdf = readFileSync(signed.out);
    expect(
      (await verifyCertificate(pdf, { caPems: [pki.ca.certificatePem] })).valid,
    ).toBe(true);
    const stamp = signatureTimeStamp(pdf);
    if (stamp === null) throw new Error("The signature carries no time-stamp.");
    const verified = tool("openssl", [
      "ts",
      "-verify",
      "-digest",
      stamp.imprintHex,
      "-in",
      write("own.tsr", stamp.token),
      "-token_in",
      "-CAfile",
      join(folder, "own-tsa-ca.pem"),
    ]);
    expect(verified.output).toContain("Verification: OK");
  }, 60_000);

  it("signs again with the room a larger token needs, asking the TSA once more", async () => {
    const before = tsas.bigChain.requests;
    const signed = await certify("big-token", { tsa: tsas.bigChain.url });
    expect(signed.code).toBe(0);
    expect(tsas.bigChain.requests - before).toBe(2);
    const pdf = readFileSync(signed.out);
    expect(signedParts(pdf).cms.length).toBeGreaterThan(24 * 1024);
    expect(
      (await verifyCertificate(pdf, { caPems: [pki.ca.certificatePem] })).valid,
    ).toBe(true);
    expect(
      tool("qpdf", ["--check", write("big-token-check.pdf", pdf)]).output,
    ).toContain("No syntax or stream encoding errors found");
  }, 60_000);
});

describe("a TSA that fails: nothing is issued, exit 2", () => {
  const rows: [
    string,
    () => { tsa?: string; policy?: Partial<Plan["policy"]> },
    RegExp,
  ][] = [
    [
      "nothing listens",
      () => ({ tsa: `http://127.0.0.1:${closedPort}/tsr` }),
      /refused the connection \(nothing listens there\)/,
    ],
    [
      "no answer within the plan's timeout",
      () => ({
        policy: { timestampAuthority: openssl.url("hang"), timeoutMs: 1000 },
      }),
      /did not answer within 1 s/,
    ],
    [
      "status rejection",
      () => ({ tsa: openssl.url("reject") }),
      /refused to time-stamp \(rejection: .*failInfo badAlg\)/,
    ],
    [
      "another imprint",
      () => ({ tsa: openssl.url("wrong-imprint") }),
      /answered with a time-stamp over another hash than the signature's/,
    ],
    [
      "another nonce",
      () => ({ tsa: openssl.url("wrong-nonce") }),
      /answered with a time-stamp for another request \(its nonce is not the one sent\)/,
    ],
    [
      "a certificate without timeStamping",
      () => ({ tsa: tsas.noEku.url }),
      /signed by CN=Not a TSA, O=Cellcert Test TSA, whose certificate does not have the extended key usage timeStamping \(it has emailProtection\)/,
    ],
    [
      "timeStamping not critical",
      () => ({ tsa: tsas.nonCritical.url }),
      /whose certificate's extended key usage timeStamping is not marked critical/,
    ],
    [
      "a clock a week ahead",
      () => ({ tsa: tsas.wrongClock.url }),
      /dated .*, 7 days ahead of this laptop's clock/,
    ],
    [
      "garbage",
      () => ({ tsa: openssl.url("garbage") }),
      /answered with something that is not a time-stamp reply/,
    ],
    [
      "HTTP 500",
      () => ({ tsa: openssl.url("http-500") }),
      /answered HTTP 500 \(Internal Server Error\) instead of a time-stamp/,
    ],
  ];

  it.each(rows)(
    "%s",
    async (name, options, problem) => {
      const chosen = options();
      const url = chosen.tsa ?? chosen.policy?.timestampAuthority ?? "";
      const signed = await certify(
        `fails-${name.replace(/\W+/g, "-")}`,
        chosen,
      );
      expect(signed.code).toBe(2);
      expect(existsSync(signed.out)).toBe(false);
      expect(signed.stderr).toMatch(problem);
      expect(signed.stderr).toContain(
        `No certificate was issued: the time-stamping authority ${url} `,
      );
      expect(signed.stderr).toContain(
        ". A certificate promised with a trusted time-stamp is not issued without one; ",
      );
      expect(signed.stdout).not.toContain("written to");
      expect((await readPlanFile(signed.planPath)).plan.certificates).toEqual(
        [],
      );
    },
    30_000,
  );

  it("follows no redirect: only the URL it was given is contacted", async () => {
    const good = openssl.requests.get("good") ?? 0;
    const signed = await certify("redirect", { tsa: openssl.url("redirect") });
    expect(signed.code).toBe(2);
    expect(existsSync(signed.out)).toBe(false);
    expect(signed.stderr).toContain(
      `No certificate was issued: the time-stamping authority ${openssl.url("redirect")} answered with a redirect (HTTP 302) to /good, and Cellcert contacts only the URL it was given.`,
    );
    expect(openssl.requests.get("redirect")).toBe(1);
    expect(openssl.requests.get("good") ?? 0).toBe(good);
  });

  it("refuses an https:// TSA before anything is signed, saying why", async () => {
    const signed = await certify("https", {
      tsa: "https://tsa.plant.example/tsr",
    });
    expect(signed.code).toBe(2);
    expect(existsSync(signed.out)).toBe(false);
    expect(signed.stderr).toBe(
      "--tsa https://tsa.plant.example/tsr cannot name a time-stamping authority: Cellcert asks a TSA over plain http:// only: the time-stamp is signed and checked on its own, so TLS adds nothing to trust in it.",
    );
  });
});

describe("sign-off through the contract (report:export)", () => {
  it("names the plan's TSA in the preview, gives its failure as a sentence with no document, and signs B-T once it answers", async () => {
    const engine = createTestEngine();
    const log = { error: (message: string) => console.error(message) };
    const call = <C extends Parameters<typeof dispatch>[1]>(
      channel: C,
      input: unknown,
    ) => dispatch(engine.handlers, channel, input, log);
    await engine.context.plans.create("Łódź paint shop");
    const imported = await call("identity:import", {
      role: "engineer",
      name: "Łukasz Nowak",
      source: {
        kind: "upload",
        fileName: "engineer.p12",
        base64: Buffer.from(writePkcs12(pki.engineer, PASSPHRASE)).toString(
          "base64",
        ),
      },
      passphraseRef: "prompt",
      passphrase: PASSPHRASE,
    });
    expect(imported.ok).toBe(true);
    const failing = openssl.url("wrong-nonce");
    engine.context.plans.mutate((draft) => {
      draft.policy.timestampAuthority = failing;
    });
    const preview = await call("report:preview", undefined);
    expect(preview.ok && preview.data.timeStampAuthority).toEqual({
      url: failing,
      practice: false,
      session: false,
    });
    const refused = await call("report:export", { identityId: "lukasz-nowak" });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe("unavailable");
      expect(refused.error.message).toMatch(
        new RegExp(
          `^No certificate was issued: the time-stamping authority ${failing} answered with a time-stamp for another request`,
        ),
      );
    }
    expect(engine.context.plans.current()?.plan.certificates).toEqual([]);

    engine.context.plans.mutate((draft) => {
      draft.policy.timestampAuthority = openssl.url("good");
    });
    const exported = await call("report:export", {
      identityId: "lukasz-nowak",
    });
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.data.timeStamp).toMatchObject({
      url: openssl.url("good"),
      practice: false,
      tsaName: "CN=OpenSSL tsa, O=Independent Test TSA",
    });
    const pdf = Buffer.from(exported.data.download?.base64 ?? "", "base64");
    expect(signatureTimeStamp(pdf)).not.toBeNull();
    expect(exported.data.document.plan.certificates).toHaveLength(1);
    await engine.shutdown();
  }, 60_000);
});
