import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  EC_P256,
  createSelfSigned,
  issueCertificate,
  issueUnchecked,
  type PracticeCertificate,
} from "../../demo/pki";
import {
  judgeIdentity,
  checkSigningIdentity,
  createCommissioningCa,
  createEngineerIdentity,
  openEngineerIdentity,
  readPkcs12,
  writePkcs12,
  type CreatedIdentity,
} from "./index";
import { summarizeCertificate } from "../x509";

const NOW = new Date("2026-03-02T10:00:00Z");
let ca: CreatedIdentity;
let engineer: CreatedIdentity;

beforeAll(async () => {
  ca = await createCommissioningCa({
    company: "Muñoz Automatización",
    country: "ES",
    now: NOW,
  });
  engineer = await createEngineerIdentity({
    name: "Łukasz Ștefan",
    company: "Muñoz Automatización",
    email: "lukasz@example.com",
    issuer: ca,
    now: NOW,
  });
});

describe("creating identities", () => {
  it("makes a commissioning CA that can issue and an engineer certificate made for signing", () => {
    const caDetails = summarizeCertificate(ca.certificatePem);
    expect(caDetails.isCA).toBe(true);
    expect(caDetails.keyUsage).toEqual(["keyCertSign", "cRLSign"]);
    expect(caDetails.subject).toBe(
      "CN=Muñoz Automatización Commissioning CA, O=Muñoz Automatización, C=ES",
    );
    const details = summarizeCertificate(engineer.certificatePem);
    expect(details.subject).toBe("CN=Łukasz Ștefan, O=Muñoz Automatización");
    expect(details.issuer).toBe(caDetails.subject);
    expect(details.keyType).toBe("rsa");
    expect(details.keyBits).toBe(3072);
    expect(details.keyUsage).toEqual(["digitalSignature", "nonRepudiation"]);
    expect(details.extendedKeyUsage).toEqual(["emailProtection"]);
    expect(details.subjectAltNames).toEqual([
      { type: "email", value: "lukasz@example.com" },
    ]);
    expect(details.signatureAlgorithm).toBe("sha256WithRSAEncryption");
    expect(details.isCA).toBe(false);
    expect(engineer.chainPems).toEqual([ca.certificatePem]);
    const leaf = new X509Certificate(engineer.certificatePem);
    expect(leaf.verify(new X509Certificate(ca.certificatePem).publicKey)).toBe(
      true,
    );
  });

  it("makes a self-signed identity when no CA is given", async () => {
    const own = await createEngineerIdentity({ name: "Győr Tester", now: NOW });
    const details = summarizeCertificate(own.certificatePem);
    expect(details.selfSigned).toBe(true);
    expect(own.chainPems).toEqual([]);
  });

  it("refuses to issue from a certificate that is not a CA", async () => {
    await expect(
      createEngineerIdentity({ name: "X", issuer: engineer, now: NOW }),
    ).rejects.toThrow(/is not a certificate authority/);
  });
});

describe("PKCS#12", () => {
  it.each(["aes256", "3des"] as const)(
    "writes and reads back an %s file",
    (algorithm) => {
      const bytes = writePkcs12(engineer, "pässwort", {
        algorithm,
        friendlyName: "Łukasz",
      });
      const read = readPkcs12(bytes, "pässwort");
      expect(read.keyType).toBe("rsa");
      expect(read.certificatePem).toBe(engineer.certificatePem);
      expect(read.chainPems).toEqual([ca.certificatePem]);
      expect(read.friendlyName).toBe("Łukasz");
    },
  );

  it("says so when the passphrase is wrong", () => {
    const bytes = writePkcs12(engineer, "right");
    expect(() =>
      readPkcs12(bytes, "wrong", { fileName: "engineer.p12" }),
    ).toThrow("The passphrase does not open engineer.p12.");
  });

  it("says so when the file is not PKCS#12, naming the file as it is spelled", () => {
    expect(() =>
      readPkcs12(new TextEncoder().encode("hello"), "x", {
        fileName: "notes.txt",
      }),
    ).toThrow(
      "The file notes.txt is not a PKCS#12 file (.p12 or .pfx) Cellcert can read.",
    );
    // A certificate or key in PEM given instead: the usual mistake, said as such.
    expect(() =>
      readPkcs12(
        new TextEncoder().encode(
          "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        ),
        "x",
        { fileName: "good.pem" },
      ),
    ).toThrow(
      "The file good.pem is PEM text (a certificate or a key), not a PKCS#12 file: export the identity as .p12 or .pfx, with its private key.",
    );
  });
});

describe("signing identities", () => {
  it("opens a valid identity and shows what it is", async () => {
    const bytes = writePkcs12(engineer, "secret");
    const opened = await openEngineerIdentity(bytes, "secret", {
      fileName: "engineer.p12",
      now: NOW,
    });
    expect(opened.info.subject).toBe(
      "CN=Łukasz Ștefan, O=Muñoz Automatización",
    );
    expect(opened.info.fingerprintSha256).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );
    expect(opened.info.chain).toHaveLength(1);
    expect(opened.warnings).toEqual([]);
  });

  it("refuses an expired identity with the date and how long ago", async () => {
    const later = new Date("2030-01-01T00:00:00Z");
    await expect(
      checkSigningIdentity(engineer, { now: later }),
    ).rejects.toThrow(
      /^The certificate of CN=Łukasz Ștefan, O=Muñoz Automatización expired on 2029-03-01 \(\d+ days ago\)/,
    );
  });

  it("refuses an identity not yet valid", async () => {
    await expect(
      checkSigningIdentity(engineer, {
        now: new Date("2020-01-01T00:00:00Z"),
      }),
    ).rejects.toThrow(/is not valid until 2026-03-02 09:55 UTC/);
  });

  it("refuses a certificate without digitalSignature", async () => {
    await expect(checkSigningIdentity(ca, { now: NOW })).rejects.toThrow(
      /does not allow digital signatures \(its key usage is keyCertSign, cRLSign\)/,
    );
  });

  it("refuses a key that does not belong to the certificate", async () => {
    await expect(
      checkSigningIdentity(
        { ...engineer, privateKey: ca.privateKey },
        { now: NOW },
      ),
    ).rejects.toThrow(/the private key does not belong to the certificate/);
  });
});

describe("identities judged by the certificate-path module", () => {
  const root = createSelfSigned({
    commonName: "Plant Root CA",
    isCA: true,
    key: EC_P256,
  });
  const issuing = issueCertificate(root, {
    commonName: "Plant Issuing CA",
    isCA: true,
    key: EC_P256,
  });
  const material = (
    leaf: PracticeCertificate,
    chain: PracticeCertificate[],
  ) => ({
    privateKey: leaf.key.privateKey,
    certificatePem: leaf.pem,
    chainPems: chain.map((c) => c.pem),
  });

  it("warns, and does not refuse, a client identity without clientAuth", async () => {
    const serverOnly = issueCertificate(issuing, {
      commonName: "mes-client",
      key: EC_P256,
      extendedKeyUsage: ["serverAuth"],
    });
    const judged = await judgeIdentity(
      material(serverOnly, [issuing, root]),
      "client",
    );
    expect(judged.problems).toEqual([]);
    expect(judged.warnings.join(" ")).toMatch(
      /^The certificate of CN=mes-client is not made for TLS clients \(its extended key usage is serverAuth, without clientAuth\)/,
    );
  });

  it("refuses a TLS server certificate as the engineer's signing identity", async () => {
    const server = issueCertificate(issuing, {
      commonName: "Jana Novak",
      key: EC_P256,
      extendedKeyUsage: ["serverAuth"],
    });
    await expect(
      checkSigningIdentity(material(server, [issuing, root])),
    ).rejects.toThrow(
      /is not made for signing documents \(its extended key usage is serverAuth/,
    );
  });

  it("refuses an engineer identity whose own chain no verifier accepts", async () => {
    const notCa = issueCertificate(root, {
      commonName: "Laptop Device",
      key: EC_P256,
    });
    const signer = issueUnchecked(notCa, {
      commonName: "Jana Novak",
      key: EC_P256,
      extendedKeyUsage: ["emailProtection"],
    });
    await expect(
      checkSigningIdentity(material(signer, [notCa, root])),
    ).rejects.toThrow(
      /The intermediate CN=Laptop Device is not a CA \(basicConstraints CA:FALSE\), yet it issued CN=Jana Novak: no verifier will accept this signer/,
    );
  });
});
