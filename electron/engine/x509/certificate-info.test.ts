import { describe, expect, it } from "vitest";
import {
  EC_P256,
  createPracticePki,
  createSelfSigned,
  daysFrom,
  generateKey,
  issueCertificate,
  pemBundle,
  type PracticeCertificate,
} from "../../demo/pki";
import { UserError } from "../errors";
import {
  CertificateParseError,
  certificateCheckIds,
  certificateInfoFromDer,
  certificateInfoFromPem,
  certificatesNotTested,
  combineCertificateOutcomes,
  evaluateCertificate,
  matchName,
  signatureHashOf,
  splitPemCertificates,
  wildcardMatches,
  x509Of,
  type CertificateJudgeOptions,
} from "./index";
import { formatIp } from "./certificate-info";

const now = new Date();
const pki = createPracticePki({ now });
const leafKey = generateKey({ type: "rsa", bits: 2048 });
const leaf = pki.issueLeaf({
  commonName: "mes01.plant.local",
  dnsNames: ["mes01.plant.local", "*.mes.plant.local"],
  ipAddresses: ["127.0.0.1", "::1"],
  key: leafKey,
});

const infos = (...certs: PracticeCertificate[]) =>
  certs.map((c) => certificateInfoFromDer(c.der));

async function judge(
  sent: PracticeCertificate[],
  options: Partial<CertificateJudgeOptions> = {},
) {
  return evaluateCertificate(infos(...sent), {
    checkIds: certificateCheckIds("PER-MES"),
    anchorsPem: [pki.root.pem],
    publicRoots: false,
    referenceName: "mes01.plant.local",
    headroomDays: 30,
    now,
    ...options,
  });
}

describe("reading certificates", () => {
  it("records an RSA leaf the way the evidence needs it", () => {
    const info = certificateInfoFromDer(leaf.der);
    expect(info.subject).toBe("CN=mes01.plant.local, O=Cellcert Practice");
    expect(info.issuer).toBe(
      "CN=Cellcert Practice Issuing CA, O=Cellcert Practice",
    );
    expect(info.subjectAltNames).toEqual([
      { type: "dns", value: "mes01.plant.local" },
      { type: "dns", value: "*.mes.plant.local" },
      { type: "ip", value: "127.0.0.1" },
      { type: "ip", value: "::1" },
    ]);
    expect(info.keyType).toBe("rsa");
    expect(info.keyBits).toBe(2048);
    expect(info.signatureAlgorithm).toBe("sha256WithRSAEncryption");
    expect(info.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Date.parse(info.notAfter)).toBe(
      Math.floor(leaf.notAfter.getTime() / 1000) * 1000,
    );
    expect(info.selfSigned).toBe(false);
    expect(info.isCA).toBe(false);
    expect(certificateInfoFromPem(info.pem)).toEqual(info);
  });

  it("reads ECDSA P-256 certificates, which node-forge's own parser cannot", () => {
    const ec = pki.issueLeaf({ commonName: "ec.plant.local", key: EC_P256 });
    const ecRoot = createSelfSigned({
      commonName: "EC Root",
      isCA: true,
      key: EC_P256,
    });
    const info = certificateInfoFromDer(ec.der);
    expect(info).toMatchObject({
      keyType: "ec",
      keyBits: 256,
      curve: "prime256v1",
      signatureAlgorithm: "sha256WithRSAEncryption",
    });
    expect(certificateInfoFromDer(ecRoot.der)).toMatchObject({
      signatureAlgorithm: "ecdsa-with-SHA256",
      selfSigned: true,
      isCA: true,
    });
  });

  it("names weak signature algorithms and maps them to their hash", () => {
    const sha1 = issueCertificate(pki.root, {
      commonName: "SHA-1 CA",
      isCA: true,
      signatureHash: "sha1",
    });
    const md5 = pki.issueLeaf({ commonName: "md5", signatureHash: "md5" });
    expect(certificateInfoFromDer(sha1.der).signatureAlgorithm).toBe(
      "sha1WithRSAEncryption",
    );
    expect(certificateInfoFromDer(md5.der).signatureAlgorithm).toBe(
      "md5WithRSAEncryption",
    );
    expect(signatureHashOf("sha1WithRSAEncryption")).toBe("sha1");
    expect(signatureHashOf("ecdsa-with-SHA384")).toBe("sha384");
    expect(signatureHashOf("rsassaPss-sha256")).toBe("sha256");
    expect(signatureHashOf("1.2.3.4")).toBe("unknown");
  });

  it("reads validity dates written as GeneralizedTime (2050 and later)", () => {
    const late = pki.issueLeaf({
      commonName: "late",
      notAfter: new Date("2051-03-04T05:06:07Z"),
    });
    expect(certificateInfoFromDer(late.der).notAfter).toBe(
      "2051-03-04T05:06:07.000Z",
    );
  });

  it("splits PEM bundles and refuses what is not a certificate, with a sentence", () => {
    expect(
      splitPemCertificates(pemBundle([leaf, pki.intermediate])),
    ).toHaveLength(2);
    expect(splitPemCertificates("no certificates here")).toEqual([]);
    expect(() =>
      x509Of("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
    ).toThrow(CertificateParseError);
    expect(() => x509Of("hello")).toThrow(/not a PEM certificate/);
  });

  it("writes IP addresses the usual way", () => {
    expect(formatIp(Buffer.from([10, 0, 0, 1]))).toBe("10.0.0.1");
    expect(
      formatIp(Buffer.from("fd000000000000000000000000000005", "hex")),
    ).toBe("fd00::5");
    expect(
      formatIp(Buffer.from("20010db8000000010000000000000001", "hex")),
    ).toBe("2001:db8:0:1::1");
    expect(
      formatIp(Buffer.from("20010db8000100010001000100010001", "hex")),
    ).toBe("2001:db8:1:1:1:1:1:1");
  });
});

describe("the name check", () => {
  const info = certificateInfoFromDer(leaf.der);

  it("matches DNS names exactly, ignoring case and a trailing dot", () => {
    expect(matchName(info, "MES01.plant.local.").matchedBy).toBe(
      "mes01.plant.local",
    );
    expect(matchName(info, "mes02.plant.local").matchedBy).toBeNull();
  });

  it("honours a wildcard only as a whole left-most label, one label deep", () => {
    expect(matchName(info, "a.mes.plant.local").matchedBy).toBe(
      "*.mes.plant.local",
    );
    expect(matchName(info, "a.b.mes.plant.local").matchedBy).toBeNull();
    expect(matchName(info, "mes.plant.local").matchedBy).toBeNull();
    expect(wildcardMatches("*.local", "a.local")).toBe(false);
    expect(wildcardMatches("w*.plant.local", "www.plant.local")).toBe(false);
    expect(wildcardMatches("*.*.local", "a.b.local")).toBe(false);
  });

  it("matches IP addresses against IP entries whatever their textual form", () => {
    expect(matchName(info, "127.0.0.1")).toMatchObject({
      kind: "ip",
      matchedBy: "127.0.0.1",
    });
    expect(matchName(info, "0:0:0:0:0:0:0:1").matchedBy).toBe("::1");
    expect(matchName(info, "[::1]").matchedBy).toBe("::1");
    expect(matchName(info, "127.0.0.2").matchedBy).toBeNull();
  });

  it("does not count the Common Name, but says when the name is only there", () => {
    const cnOnly = certificateInfoFromDer(
      pki.issueLeaf({
        commonName: "legacy.plant.local",
        omitSubjectAltName: true,
      }).der,
    );
    expect(matchName(cnOnly, "legacy.plant.local")).toMatchObject({
      matchedBy: null,
      onlyInCommonName: true,
    });
  });
});

describe("the four certificate checks", () => {
  it("names the intermediates a pinned certificate leaves unused without advising to remove them", async () => {
    // The plan anchors the leaf itself; the intermediate is off the path here, but clients that trust the CA need it.
    const pinned = await judge([leaf, pki.intermediate], {
      anchorsPem: [leaf.pem],
    });
    expect(pinned.chain.verdict).toBe("pass");
    expect(pinned.chain.message).toContain(
      "The plan pins the server's own certificate, so the other certificate it sends",
    );
    expect(pinned.chain.message).not.toContain("can go");
    // On a CA's path, a certificate that belongs to no path can go.
    const stray = createPracticePki({ now, name: "Elsewhere" }).intermediate;
    const extra = await judge([leaf, pki.intermediate, stray]);
    expect(extra.chain.message).toContain("harmless, but it can go.");
    expect(extra.chain.message).not.toContain("pins");
  });

  it("passes a good chain on all four, with measured values", async () => {
    const outcomes = await judge([leaf, pki.intermediate]);
    expect(
      [outcomes.chain, outcomes.name, outcomes.validity, outcomes.strength].map(
        (o) => [o.checkId, o.verdict],
      ),
    ).toEqual([
      ["PER-MES.cert.chain", "pass"],
      ["PER-MES.cert.name", "pass"],
      ["PER-MES.cert.validity", "pass"],
      ["PER-MES.cert.strength", "pass"],
    ]);
    expect(outcomes.strength.measured).toContain("RSA 2048");
    expect(outcomes.validity.headroom).toMatch(
      /^36[45] days to expiry; warns below 30$/,
    );
  });

  it("says when and how long ago the certificate expired", async () => {
    const expired = pki.issueLeaf({
      commonName: "mes01.plant.local",
      key: leafKey,
      notBefore: daysFrom(now, -400),
      notAfter: daysFrom(now, -54.5),
    });
    const { validity, chain } = await judge([expired, pki.intermediate]);
    expect(chain.verdict).toBe("pass");
    expect(validity.verdict).toBe("fail");
    expect(validity.message).toBe(
      `The certificate for mes01.plant.local expired on ${daysFrom(now, -54.5).toISOString().slice(0, 10)} (54 days ago). Renew it and install the new certificate.`,
    );
  });

  it("warns inside the headroom, and the policy can widen it", async () => {
    const soon = pki.issueLeaf({
      commonName: "mes01.plant.local",
      key: leafKey,
      notAfter: daysFrom(now, 21.5),
    });
    const later = pki.issueLeaf({
      commonName: "mes01.plant.local",
      key: leafKey,
      notAfter: daysFrom(now, 45.5),
    });
    expect((await judge([soon, pki.intermediate])).validity).toMatchObject({
      verdict: "warn",
      headroom: "21 days to expiry; warns below 30",
    });
    expect((await judge([later, pki.intermediate])).validity.verdict).toBe(
      "pass",
    );
    expect(
      (await judge([later, pki.intermediate], { headroomDays: 60 })).validity
        .verdict,
    ).toBe("warn");
  });

  it("fails a certificate that is not valid yet, and an expired intermediate by name", async () => {
    const future = pki.issueLeaf({
      commonName: "mes01.plant.local",
      key: leafKey,
      notBefore: daysFrom(now, 10),
    });
    expect((await judge([future, pki.intermediate])).validity.message).toMatch(
      /^The certificate for mes01\.plant\.local is not valid until \d{4}-\d\d-\d\d \(in 10 days\)/,
    );
    const oldCa = issueCertificate(pki.root, {
      commonName: "Old Issuing CA",
      isCA: true,
      notBefore: daysFrom(now, -800),
      notAfter: daysFrom(now, -3),
    });
    const fromOld = issueCertificate(oldCa, {
      commonName: "mes01.plant.local",
      key: leafKey,
    });
    expect((await judge([fromOld, oldCa])).validity.message).toMatch(
      /^The intermediate certificate «Old Issuing CA» expired/,
    );
  });

  it("fails weak keys and SHA-1/MD5 signatures, but not a self-signed root's own signature", async () => {
    const weak = pki.issueLeaf({
      commonName: "mes01.plant.local",
      key: { type: "rsa", bits: 1024 },
    });
    expect((await judge([weak, pki.intermediate])).strength).toMatchObject({
      verdict: "fail",
    });
    expect((await judge([weak, pki.intermediate])).strength.message).toContain(
      "has a 1024-bit RSA key; at least 2048 bits",
    );

    const sha1Ca = issueCertificate(pki.root, {
      commonName: "SHA-1 Issuing CA",
      isCA: true,
      signatureHash: "sha1",
    });
    const underSha1 = issueCertificate(sha1Ca, {
      commonName: "mes01.plant.local",
      key: leafKey,
    });
    const { strength, chain } = await judge([underSha1, sha1Ca]);
    expect(chain.verdict).toBe("pass");
    expect(strength.verdict).toBe("fail");
    expect(strength.message).toContain(
      "«SHA-1 Issuing CA» is signed with SHA-1",
    );

    const sha1Root = createSelfSigned({
      commonName: "Old Root",
      isCA: true,
      signatureHash: "sha1",
    });
    const underOldRoot = issueCertificate(sha1Root, {
      commonName: "mes01.plant.local",
      key: leafKey,
    });
    expect(
      (await judge([underOldRoot, sha1Root], { anchorsPem: [sha1Root.pem] }))
        .strength.verdict,
    ).toBe("pass");
  });

  it("fails a wrong name and a name only in the CN, with what to do", async () => {
    const other = pki.issueLeaf({
      commonName: "mes02.plant.local",
      key: leafKey,
    });
    expect((await judge([other, pki.intermediate])).name.message).toBe(
      "The certificate is not valid for the name mes01.plant.local: its subjectAltName lists mes02.plant.local. Reissue the certificate with mes01.plant.local in its subjectAltName (as a DNS entry), or probe the name it was issued for.",
    );
    const cnOnly = pki.issueLeaf({
      commonName: "mes01.plant.local",
      key: leafKey,
      omitSubjectAltName: true,
    });
    expect((await judge([cnOnly, pki.intermediate])).name.message).toContain(
      "only in the Common Name",
    );
  });

  it("explains chain failures in sentences", async () => {
    expect((await judge([leaf])).chain.message).toMatch(
      /^The chain is incomplete: the server does not send the certificate of «CN=Cellcert Practice Issuing CA, O=Cellcert Practice»/,
    );
    const fallback = createSelfSigned({
      commonName: "SSL_Self_Signed_Fallback",
    });
    expect((await judge([fallback])).chain.message).toContain(
      "SQL Server's self-signed fallback certificate",
    );
    expect(
      (await judge([leaf, pki.intermediate], { anchorsPem: [] })).chain,
    ).toMatchObject({
      verdict: "not-tested",
      reason: "no trust anchors",
    });
  });

  it("refuses an unreadable trust anchor with a sentence", async () => {
    await expect(
      judge([leaf], { anchorsPem: ["not a certificate"] }),
    ).rejects.toThrow(UserError);
  });

  it("is not-tested on all four without a certificate", async () => {
    const outcomes = await judge([]);
    expect(
      [
        outcomes.chain,
        outcomes.name,
        outcomes.validity,
        outcomes.strength,
      ].every((o) => o.verdict === "not-tested"),
    ).toBe(true);
    expect(
      certificatesNotTested(certificateCheckIds(""), "unreachable", "x").chain
        .checkId,
    ).toBe("cert.chain");
  });

  it("folds the four into one check, the worst verdict deciding", async () => {
    const good = combineCertificateOutcomes(
      "APP-DB.tds.cert",
      await judge([leaf, pki.intermediate]),
    );
    expect(good).toMatchObject({ checkId: "APP-DB.tds.cert", verdict: "pass" });
    const soon = pki.issueLeaf({
      commonName: "mes01.plant.local",
      key: leafKey,
      notAfter: daysFrom(now, 5),
    });
    const weakAndSoon = combineCertificateOutcomes(
      "APP-DB.tds.cert",
      await judge([soon], { anchorsPem: [pki.root.pem, pki.intermediate.pem] }),
    );
    expect(weakAndSoon.verdict).toBe("fail");
    expect(weakAndSoon.message).toMatch(/^The chain is incomplete/);
    expect(weakAndSoon.measured).toMatch(
      /^chain: .*; name: .*; validity: .*; strength: /,
    );
    const noAnchors = combineCertificateOutcomes(
      "MES-PCS.opcua.cert",
      await judge([soon], { anchorsPem: [] }),
    );
    expect(noAnchors).toMatchObject({
      verdict: "not-tested",
      reason: "no trust anchors",
    });
  });
});
