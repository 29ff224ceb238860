// A client certificate from an unknown CA, made on the spot (PER-MES.mtls.untrusted-refused): a server that
// accepts it accepts any certificate. Made once per process; keys from Node's crypto, certificates by node-forge.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";
import type { ClientCertificate } from "./tls-client";

export interface ThrowawayClient {
  certificate: ClientCertificate;
  subject: string;
}

let made: { client: ThrowawayClient; day: string } | null = null;

export function throwawayClient(now = new Date()): ThrowawayClient {
  const day = now.toISOString().slice(0, 10);
  if (made?.day === day) return made.client;
  const tag = randomBytes(4).toString("hex");
  const ca = keyPair();
  const leaf = keyPair();
  const caCert = certificate({
    subject: [
      { name: "commonName", value: `Cellcert throwaway CA ${tag}` },
      { name: "organizationName", value: "Unknown CA (Cellcert test)" },
    ],
    issuer: null,
    publicKeyPem: ca.publicPem,
    signerPem: ca.privatePem,
    now,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true },
    ],
  });
  const leafCert = certificate({
    subject: [
      { name: "commonName", value: `Cellcert throwaway client ${tag}` },
      { name: "organizationName", value: "Unknown CA (Cellcert test)" },
    ],
    issuer: caCert,
    publicKeyPem: leaf.publicPem,
    signerPem: ca.privatePem,
    now,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", clientAuth: true },
    ],
  });
  const client: ThrowawayClient = {
    certificate: {
      key: leaf.privatePem,
      certificatePems: [
        forge.pki.certificateToPem(leafCert),
        forge.pki.certificateToPem(caCert),
      ],
    },
    subject: `CN=Cellcert throwaway client ${tag}, O=Unknown CA (Cellcert test)`,
  };
  made = { client, day };
  return client;
}

function keyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
  });
  return {
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function certificate(options: {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.Certificate | null;
  publicKeyPem: string;
  signerPem: string;
  now: Date;
  extensions: object[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(options.publicKeyPem);
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  cert.validity.notBefore = new Date(options.now.getTime() - 3_600_000);
  cert.validity.notAfter = new Date(options.now.getTime() + 2 * 86_400_000);
  cert.setSubject(options.subject);
  cert.setIssuer(
    options.issuer === null
      ? options.subject
      : options.issuer.subject.attributes,
  );
  cert.setExtensions(options.extensions);
  cert.sign(
    forge.pki.privateKeyFromPem(options.signerPem),
    forge.md.sha256.create(),
  );
  return cert;
}
