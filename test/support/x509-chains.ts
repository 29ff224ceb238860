// The table of chains every trust decision is tested against (Go's crypto/x509 verify_test.go style): each row a
// leaf, what was sent, the anchors, CRLs, a stapled OCSP response, the time and the purpose → the exact path or
// the exact failure. The pure module runs every row (electron/engine/x509/path.test.ts); real TLS on loopback runs a lean set of them
// (test/integration/x509-tls.test.ts), and openssl s_client holds several against a client Cellcert did not write.
import {
  EC_P256,
  createCrl,
  createOcspResponse,
  createSelfSigned,
  daysFrom,
  generateKey,
  issueCertificate,
  issueUnchecked,
  type CertificateRequest,
  type PracticeCertificate,
} from "../../electron/demo/pki";
import type { PathStatus } from "../../electron/engine/x509/path";
import type { Purpose } from "../../electron/engine/x509/purpose";

export interface ChainRow {
  name: string;
  /** What the peer sends, leaf first. */
  sent: PracticeCertificate[];
  anchors: PracticeCertificate[];
  crls?: Buffer[];
  ocsp?: Buffer;
  purpose?: Purpose;
  /** Days from the table's time. */
  at?: number;
  /** That time is proven (a time-stamp's): a revocation after it does not count. */
  nowIsProven?: boolean;
  requireRevocation?: boolean;
  /** The name a client would ask for (SNI), for rows run over TLS. */
  serverName?: string;
  expect: {
    status: PathStatus;
    /** Common names, leaf → anchor. */
    path?: string[];
    problem?: RegExp;
    warnings?: RegExp;
    extras?: string[];
    revocation?: string[];
  };
  /** Run this row over real TLS on loopback too. */
  tls?: boolean;
}

const server = (
  keyExchange: "ecdhe" | "rsa" | "tls13" | null = null,
): Purpose => ({
  kind: "server-tls",
  keyExchange,
});

/** Builds the PKI and the rows; `now` is the table's time. */
export function chainTable(now: Date): ChainRow[] {
  const ca = (name: string, extra: Partial<CertificateRequest> = {}) => ({
    commonName: name,
    isCA: true,
    key: EC_P256,
    notBefore: daysFrom(now, -30),
    notAfter: daysFrom(now, 3650),
    ...extra,
  });
  const leafKey = generateKey(EC_P256);
  const leafOf = (
    issuer: PracticeCertificate,
    extra: Partial<CertificateRequest> = {},
    issue = issueCertificate,
  ) =>
    issue(issuer, {
      commonName: "mes01.plant.local",
      dnsNames: ["mes01.plant.local"],
      key: leafKey,
      extendedKeyUsage: ["serverAuth"],
      notBefore: daysFrom(now, -1),
      notAfter: daysFrom(now, 365),
      ...extra,
    });

  const root = createSelfSigned(ca("Plant Root CA"));
  const int = issueCertificate(root, ca("Plant Issuing CA", { pathLength: 0 }));
  const leaf = leafOf(int);
  const foreignRoot = createSelfSigned(ca("Elsewhere Root CA"));
  const foreignInt = issueCertificate(foreignRoot, ca("Elsewhere Issuing CA"));
  const foreignLeaf = leafOf(foreignInt);
  const selfSigned = createSelfSigned({
    commonName: "mes01.plant.local",
    key: leafKey,
    extendedKeyUsage: ["serverAuth"],
  });

  // Forgeries and mis-issuance.
  const device = issueCertificate(int, {
    commonName: "Device 7",
    key: EC_P256,
    extendedKeyUsage: ["clientAuth"],
  });
  const forged = leafOf(device, {}, issueUnchecked);
  const midRoot = createSelfSigned(ca("Mid Root CA"));
  const noBasic = issueUnchecked(
    midRoot,
    ca("No Constraints CA", { omitBasicConstraints: true }),
  );
  const underNoBasic = leafOf(noBasic, {}, issueUnchecked);
  const noCertSign = issueCertificate(
    midRoot,
    ca("Sign-only CA", { keyUsage: ["digitalSignature"] }),
  );
  const underNoCertSign = leafOf(noCertSign, {}, issueUnchecked);
  const deep = issueCertificate(int, ca("Too Deep CA"));
  const underDeep = leafOf(deep);
  const zeroRoot = createSelfSigned(ca("Zero Root CA", { pathLength: 0 }));
  const zeroInt = issueCertificate(zeroRoot, ca("Below Zero CA"));
  const underZero = leafOf(zeroInt);
  const wrongKeyInt = issueCertificate(
    root,
    ca("Plant Issuing CA", { pathLength: 0 }),
  );
  const badSignature = leafOf(wrongKeyInt); // names the issuing CA, signed by its twin's other key

  // Name constraints.
  const ncRoot = createSelfSigned(ca("Constrained Root CA"));
  const ncInt = issueCertificate(
    ncRoot,
    ca("Plant-only CA", {
      nameConstraints: {
        permitted: ["dns:plant.local", "ip:10.0.0.0/8"],
        excluded: ["dns:secret.plant.local"],
      },
    }),
  );
  const ncGood = leafOf(ncInt, {
    dnsNames: ["mes01.plant.local"],
    ipAddresses: ["10.1.2.3"],
  });
  const ncOutside = leafOf(ncInt, {
    commonName: "www.example.com",
    dnsNames: ["www.example.com"],
  });
  const ncExcluded = leafOf(ncInt, {
    commonName: "db.secret.plant.local",
    dnsNames: ["db.secret.plant.local"],
  });
  const ncIp = leafOf(ncInt, {
    dnsNames: ["mes01.plant.local"],
    ipAddresses: ["192.168.1.5"],
  });

  // Usages.
  const clientOnly = leafOf(int, { extendedKeyUsage: ["clientAuth"] });
  const anyUsage = leafOf(int, { extendedKeyUsage: ["anyExtendedKeyUsage"] });
  const noEku = leafOf(int, { extendedKeyUsage: [] });
  const clientCa = issueCertificate(
    root,
    ca("Workstation CA", { extendedKeyUsage: ["clientAuth"] }),
  );
  const underClientCa = leafOf(clientCa);
  const rsaKey = generateKey({ type: "rsa", bits: 2048 });
  const encipherOnly = leafOf(int, {
    key: rsaKey,
    keyUsage: ["keyEncipherment"],
  });
  const signOnlyRsa = leafOf(int, {
    key: rsaKey,
    keyUsage: ["digitalSignature"],
  });
  const criticalUnknown = leafOf(int, {
    unknownCriticalExtension: "1.3.6.1.4.1.99999.1",
  });
  const signer = leafOf(int, {
    commonName: "Jana Novak",
    dnsNames: [],
    extendedKeyUsage: ["emailProtection"],
    keyUsage: ["digitalSignature", "nonRepudiation"],
  });
  const docSigner = leafOf(int, {
    commonName: "Jana Novak",
    dnsNames: [],
    extendedKeyUsage: ["documentSigning"],
    keyUsage: ["nonRepudiation"],
  });
  const serverAsSigner = leaf;
  const encipherSigner = leafOf(int, {
    commonName: "Jana Novak",
    dnsNames: [],
    key: rsaKey,
    extendedKeyUsage: ["emailProtection"],
    keyUsage: ["keyEncipherment"],
  });
  const signerBelowZero = leafOf(zeroInt, {
    commonName: "Jana Novak",
    dnsNames: [],
    extendedKeyUsage: ["emailProtection"],
  });

  // Algorithms that must pass.
  const pssRoot = createSelfSigned(
    ca("PSS Root CA", { key: { type: "rsa-pss", bits: 2048 } }),
  );
  const pssInt = issueCertificate(
    pssRoot,
    ca("PSS Issuing CA", { key: { type: "rsa-pss", bits: 2048 } }),
  );
  const pssLeaf = leafOf(pssInt, {
    key: { type: "rsa-pss", bits: 2048 },
    keyUsage: ["digitalSignature"],
  });
  const rsaRoot = createSelfSigned(ca("RSA Root CA", { key: rsaKey }));
  const pssSigned = leafOf(rsaRoot, {
    key: rsaKey,
    signaturePss: true,
    keyUsage: ["digitalSignature"],
  });
  const p384 = { type: "ec", curve: "P-384" } as const;
  const p384Root = createSelfSigned(
    ca("P-384 Root CA", { key: p384, signatureHash: "sha384" }),
  );
  const p384Int = issueCertificate(
    p384Root,
    ca("P-384 Issuing CA", { key: p384, signatureHash: "sha384" }),
  );
  const p384Leaf = leafOf(p384Int, { key: p384, signatureHash: "sha384" });
  const edRoot = createSelfSigned(
    ca("Ed25519 Root CA", { key: { type: "ed25519" } }),
  );
  const edInt = issueCertificate(
    edRoot,
    ca("Ed25519 Issuing CA", { key: { type: "ed25519" } }),
  );
  const edLeaf = leafOf(edInt, {
    key: { type: "ed25519" },
    keyUsage: ["digitalSignature"],
  });
  const sha1Root = createSelfSigned(
    ca("SHA-1 Root CA", { key: rsaKey, signatureHash: "sha1" }),
  );
  const underSha1 = leafOf(sha1Root);
  const v1Root = createSelfSigned(ca("Old v1 Root CA", { version1: true }));
  const underV1 = leafOf(v1Root, {}, issueUnchecked);

  // Cross-signing: the issuing CA X exists twice (one key), below an old root and below a new one.
  const oldRoot = createSelfSigned(ca("Old Root CA"));
  const newRoot = createSelfSigned(ca("New Root CA"));
  const xKey = generateKey(EC_P256);
  const xByOld = issueCertificate(
    oldRoot,
    ca("Cross Issuing CA", { key: xKey }),
  );
  const xByNew = issueCertificate(
    newRoot,
    ca("Cross Issuing CA", { key: xKey }),
  );
  const xByOldExpired = issueCertificate(
    oldRoot,
    ca("Cross Issuing CA", {
      key: xKey,
      notBefore: daysFrom(now, -400),
      notAfter: daysFrom(now, -10),
    }),
  );
  const crossLeaf = leafOf(xByNew);
  const newByOld = issueCertificate(
    oldRoot,
    ca("New Root CA", { key: newRoot.key }),
  );
  // Two CAs that cross-signed each other, neither trusted: the search must end.
  const loopKeyA = generateKey(EC_P256);
  const loopKeyB = generateKey(EC_P256);
  const loopA0 = createSelfSigned(ca("Loop A CA", { key: loopKeyA }));
  const loopB = issueCertificate(loopA0, ca("Loop B CA", { key: loopKeyB }));
  const loopA = issueCertificate(loopB, ca("Loop A CA", { key: loopKeyA }));
  const loopLeaf = leafOf(loopB);

  // Dates: expiry is cert.validity's finding, not the path's; validity windows that never overlap are.
  const expiredLeaf = leafOf(int, {
    notBefore: daysFrom(now, -100),
    notAfter: daysFrom(now, -5),
  });
  const shortInt = issueCertificate(
    root,
    ca("Short-lived CA", {
      pathLength: 0,
      notBefore: daysFrom(now, -30),
      notAfter: daysFrom(now, -20),
    }),
  );
  const afterShortInt = leafOf(shortInt, { notBefore: daysFrom(now, -10) });

  // A time-stamping authority (RFC 3161 §2.3).
  const tsaOf = (extra: Partial<CertificateRequest> = {}) =>
    leafOf(int, {
      commonName: "Plant TSA",
      dnsNames: [],
      keyUsage: ["digitalSignature"],
      extendedKeyUsage: ["timeStamping"],
      extendedKeyUsageCritical: true,
      ...extra,
    });

  // Revocation.
  const revokedAt = daysFrom(now, -3);
  const revokedLeaf = leafOf(int);
  const crlRevoking = createCrl(int, {
    revoked: [{ certificate: revokedLeaf, revokedAt, reason: "keyCompromise" }],
  }).der;
  const crlClean = createCrl(int).der;
  const crlStale = createCrl(int, {
    thisUpdate: daysFrom(now, -20),
    nextUpdate: daysFrom(now, -2),
  }).der;
  const crlForged = createCrl(int, { signingKey: generateKey(EC_P256) }).der;
  const rootCrl = createCrl(root).der;
  const revokedInt = issueCertificate(
    root,
    ca("Revoked Issuing CA", { pathLength: 0 }),
  );
  const underRevokedInt = leafOf(revokedInt);
  const rootCrlRevokingInt = createCrl(root, {
    revoked: [{ certificate: revokedInt, revokedAt, reason: "cACompromise" }],
  }).der;
  const responder = issueCertificate(int, {
    commonName: "Plant OCSP Responder",
    key: EC_P256,
    extendedKeyUsage: ["OCSPSigning"],
  });
  const notResponder = issueCertificate(int, {
    commonName: "Not a Responder",
    key: EC_P256,
  });
  const ocsp = (status: "good" | "revoked" | "unknown", extra = {}) =>
    createOcspResponse(int, leaf, { status, ...extra });

  const cn = (c: PracticeCertificate): string => c.commonName;
  const path = (...certs: PracticeCertificate[]): string[] => certs.map(cn);
  const problem = (status: PathStatus, text: RegExp) => ({
    status,
    problem: text,
  });

  return [
    // ---- building ----
    {
      name: "leaf → intermediate → the plan's root",
      sent: [leaf, int],
      anchors: [root],
      tls: true,
      expect: { status: "valid", path: path(leaf, int, root), extras: [] },
    },
    {
      name: "the root sent along, in any order after the leaf",
      sent: [leaf, root, int],
      anchors: [root],
      tls: true,
      expect: { status: "valid", path: path(leaf, int, root), extras: [] },
    },
    {
      name: "an extra certificate not on the path is noted, harmless",
      sent: [leaf, foreignInt, int],
      anchors: [root],
      tls: true,
      expect: {
        status: "valid",
        path: path(leaf, int, root),
        extras: ["Elsewhere Issuing CA: not on the path"],
      },
    },
    {
      name: "a duplicate intermediate is noted",
      sent: [leaf, int, int],
      anchors: [root],
      tls: true,
      expect: {
        status: "valid",
        path: path(leaf, int, root),
        extras: ["Plant Issuing CA: duplicate"],
      },
    },
    {
      name: "the intermediate omitted",
      sent: [leaf],
      anchors: [root],
      tls: true,
      expect: problem(
        "incomplete",
        /^The chain is incomplete: the certificate of CN=Plant Issuing CA, which issued CN=mes01\.plant\.local, was not sent/,
      ),
    },
    {
      name: "the intermediate omitted though the plan holds it",
      sent: [leaf],
      anchors: [root, int],
      expect: { status: "incomplete", path: path(leaf, int) },
    },
    {
      name: "pinned at the intermediate, which is sent",
      sent: [leaf, int],
      anchors: [int],
      expect: { status: "valid", path: path(leaf, int) },
    },
    {
      name: "a self-signed leaf",
      sent: [selfSigned],
      anchors: [root],
      expect: problem(
        "self-signed",
        /^The server certificate CN=mes01\.plant\.local is self-signed and not among the trust anchors/,
      ),
    },
    {
      name: "a self-signed leaf pinned as an anchor",
      sent: [selfSigned],
      anchors: [selfSigned],
      expect: { status: "valid", path: path(selfSigned) },
    },
    {
      name: "a foreign chain",
      sent: [foreignLeaf, foreignInt],
      anchors: [root],
      expect: problem(
        "untrusted",
        /issued by CN=Elsewhere Root CA, which is not among the trust anchors/,
      ),
    },
    {
      name: "a foreign chain with its root",
      sent: [foreignLeaf, foreignInt, foreignRoot],
      anchors: [root],
      expect: problem("untrusted", /^The chain ends at CN=Elsewhere Root CA/),
    },
    {
      name: "no anchors at all",
      sent: [leaf, int],
      anchors: [],
      expect: { status: "no-anchors" },
    },
    {
      name: "nothing sent",
      sent: [],
      anchors: [root],
      expect: { status: "empty" },
    },
    {
      name: "a signature its named issuer's key did not make",
      sent: [badSignature, int],
      anchors: [root],
      expect: problem(
        "bad-signature",
        /^The signature on CN=mes01\.plant\.local was not made by the key of CN=Plant Issuing CA/,
      ),
    },
    {
      name: "a cross-signed intermediate that leads nowhere, sent before its sibling",
      sent: [crossLeaf, xByOld, xByNew],
      anchors: [newRoot],
      tls: true,
      expect: {
        status: "valid",
        path: path(crossLeaf, xByNew, newRoot),
        extras: ["Cross Issuing CA: not on the path"],
      },
    },
    {
      name: "through a cross-signed root to the old anchor",
      sent: [crossLeaf, xByNew, newByOld],
      anchors: [oldRoot],
      expect: {
        status: "valid",
        path: [
          "mes01.plant.local",
          "Cross Issuing CA",
          "New Root CA",
          "Old Root CA",
        ],
      },
    },
    {
      name: "an expired cross-sign is passed over for a valid one",
      sent: [crossLeaf, xByOldExpired, xByNew],
      anchors: [oldRoot, newRoot],
      expect: { status: "valid", path: path(crossLeaf, xByNew, newRoot) },
    },
    {
      name: "two CAs that signed each other, neither trusted",
      sent: [loopLeaf, loopB, loopA, loopA0],
      anchors: [root],
      expect: { status: "untrusted" },
    },

    // ---- every issuer a CA that may sign, within its path length ----
    {
      name: "a server certificate signed with a device certificate's key (CA:FALSE)",
      sent: [forged, device, int],
      anchors: [root],
      tls: true,
      expect: problem(
        "not-ca",
        /^The intermediate CN=Device 7 is not a CA \(basicConstraints CA:FALSE\), yet it issued CN=mes01\.plant\.local: no client will accept this chain\./,
      ),
    },
    {
      name: "an intermediate without basicConstraints",
      sent: [underNoBasic, noBasic],
      anchors: [midRoot],
      expect: problem(
        "not-ca",
        /^The intermediate CN=No Constraints CA is not a CA \(it has no basicConstraints extension\)/,
      ),
    },
    {
      name: "an intermediate without keyCertSign",
      sent: [underNoCertSign, noCertSign],
      anchors: [midRoot],
      expect: problem(
        "key-cert-sign",
        /^The intermediate CN=Sign-only CA may not sign certificates \(its key usage is digitalSignature, without keyCertSign\)/,
      ),
    },
    {
      name: "pathLenConstraint 0 with one more CA below",
      sent: [underDeep, deep, int],
      anchors: [root],
      tls: true,
      expect: problem(
        "path-length",
        /^The intermediate CN=Plant Issuing CA allows 0 intermediates below it \(pathLenConstraint 0\), but the chain has 1/,
      ),
    },
    {
      name: "a pathLen:0 root with one intermediate",
      sent: [underZero, zeroInt],
      anchors: [zeroRoot],
      expect: problem(
        "path-length",
        /^The trust anchor CN=Zero Root CA allows 0 intermediates below it/,
      ),
    },

    // ---- name constraints ----
    {
      name: "inside the name constraints (DNS and IP)",
      sent: [ncGood, ncInt],
      anchors: [ncRoot],
      expect: { status: "valid", path: path(ncGood, ncInt, ncRoot) },
    },
    {
      name: "a DNS name outside the permitted subtree",
      sent: [ncOutside, ncInt],
      anchors: [ncRoot],
      serverName: "www.example.com",
      tls: true,
      expect: problem(
        "name-constraints",
        /^The name constraints of the intermediate CN=Plant-only CA \(permitted: DNS plant\.local, IP 10\.0\.0\.0\/8; excluded: DNS secret\.plant\.local\) do not permit the names of the server certificate CN=www\.example\.com \(DNS:www\.example\.com\)/,
      ),
    },
    {
      name: "a DNS name in an excluded subtree",
      sent: [ncExcluded, ncInt],
      anchors: [ncRoot],
      expect: problem(
        "name-constraints",
        /exclude the names of the server certificate CN=db\.secret\.plant\.local/,
      ),
    },
    {
      name: "an IP address outside the permitted range",
      sent: [ncIp, ncInt],
      anchors: [ncRoot],
      expect: problem("name-constraints", /IP Address:192\.168\.1\.5/),
    },

    // ---- purposes ----
    {
      name: "a leaf for clients only (ADCS Workstation Authentication)",
      sent: [clientOnly, int],
      anchors: [root],
      tls: true,
      expect: problem(
        "extended-key-usage",
        /^The server certificate CN=mes01\.plant\.local is not made for this: its extended key usage is clientAuth, without serverAuth; no client will accept this chain\./,
      ),
    },
    {
      name: "anyExtendedKeyUsage serves a server",
      sent: [anyUsage, int],
      anchors: [root],
      expect: { status: "valid" },
    },
    {
      name: "no extendedKeyUsage serves a server",
      sent: [noEku, int],
      anchors: [root],
      expect: { status: "valid" },
    },
    {
      name: "an intermediate restricted to clientAuth",
      sent: [underClientCa, clientCa],
      anchors: [root],
      expect: problem(
        "extended-key-usage",
        /^The intermediate CN=Workstation CA restricts what it issues to clientAuth, without serverAuth/,
      ),
    },
    {
      name: "keyEncipherment only, with ECDHE negotiated",
      sent: [encipherOnly, int],
      anchors: [root],
      purpose: server("ecdhe"),
      expect: problem(
        "key-usage",
        /its key usage is keyEncipherment, but the negotiated ECDHE key exchange needs digitalSignature/,
      ),
    },
    {
      name: "keyEncipherment only, with RSA key transport",
      sent: [encipherOnly, int],
      anchors: [root],
      purpose: server("rsa"),
      expect: { status: "valid" },
    },
    {
      name: "digitalSignature only, with RSA key transport",
      sent: [signOnlyRsa, int],
      anchors: [root],
      purpose: server("rsa"),
      expect: problem(
        "key-usage",
        /the negotiated RSA key exchange needs keyEncipherment/,
      ),
    },
    {
      name: "keyEncipherment only, with TLS 1.3",
      sent: [encipherOnly, int],
      anchors: [root],
      purpose: server("tls13"),
      expect: problem(
        "key-usage",
        /TLS 1\.3, which the session negotiated, needs digitalSignature/,
      ),
    },
    {
      name: "an unknown critical extension",
      sent: [criticalUnknown, int],
      anchors: [root],
      expect: problem(
        "critical-extension",
        /carries a critical extension Cellcert does not know \(1\.3\.6\.1\.4\.1\.99999\.1\)/,
      ),
    },
    {
      name: "a time-stamping authority: timeStamping alone and critical",
      sent: [tsaOf(), int],
      anchors: [root],
      purpose: { kind: "time-stamping" },
      expect: {
        status: "valid",
        path: ["Plant TSA", "Plant Issuing CA", "Plant Root CA"],
      },
    },
    {
      name: "a time-stamping authority whose timeStamping is not critical",
      sent: [tsaOf({ extendedKeyUsageCritical: false }), int],
      anchors: [root],
      purpose: { kind: "time-stamping" },
      expect: problem(
        "extended-key-usage",
        /^The time-stamping authority's certificate CN=Plant TSA is not made for this: its extended key usage timeStamping is not marked critical, as RFC 3161 requires; no verifier will accept its time-stamps\.$/,
      ),
    },
    {
      name: "a time-stamping authority that may serve TLS too",
      sent: [tsaOf({ extendedKeyUsage: ["serverAuth", "timeStamping"] }), int],
      anchors: [root],
      purpose: { kind: "time-stamping" },
      expect: problem(
        "extended-key-usage",
        /: it allows serverAuth, timeStamping; RFC 3161 requires timeStamping alone; /,
      ),
    },
    {
      name: "a time-stamping authority without any extended key usage",
      sent: [tsaOf({ extendedKeyUsage: [] }), int],
      anchors: [root],
      purpose: { kind: "time-stamping" },
      expect: problem(
        "extended-key-usage",
        /: it does not have the extended key usage timeStamping; RFC 3161 requires it of a TSA; /,
      ),
    },
    {
      name: "a client identity with clientAuth",
      sent: [device, int],
      anchors: [root],
      purpose: { kind: "client-tls" },
      expect: { status: "valid" },
    },
    {
      name: "a client identity with serverAuth only",
      sent: [leaf, int],
      anchors: [root],
      purpose: { kind: "client-tls" },
      expect: problem(
        "extended-key-usage",
        /^The client certificate CN=mes01\.plant\.local is not made for this: its extended key usage is serverAuth, without clientAuth/,
      ),
    },
    {
      name: "a document signer with emailProtection",
      sent: [signer, int],
      anchors: [root],
      purpose: { kind: "document-signing" },
      expect: { status: "valid", path: path(signer, int, root) },
    },
    {
      name: "a document signer with documentSigning and nonRepudiation",
      sent: [docSigner, int],
      anchors: [root],
      purpose: { kind: "document-signing" },
      expect: { status: "valid" },
    },
    {
      name: "a TLS server certificate as a document signer",
      sent: [serverAsSigner, int],
      anchors: [root],
      purpose: { kind: "document-signing" },
      expect: problem(
        "extended-key-usage",
        /^The signer certificate CN=mes01\.plant\.local is not made for this: its extended key usage is serverAuth, without emailProtection/,
      ),
    },
    {
      name: "a document signer whose key may only encipher",
      sent: [encipherSigner, int],
      anchors: [root],
      purpose: { kind: "document-signing" },
      expect: problem(
        "key-usage",
        /signing a document needs digitalSignature or nonRepudiation/,
      ),
    },
    {
      name: "a document signer below a pathLen:0 root",
      sent: [signerBelowZero, zeroInt],
      anchors: [zeroRoot],
      purpose: { kind: "document-signing" },
      expect: problem("path-length", /no verifier will accept this signer/),
    },

    // ---- algorithms that must pass ----
    {
      name: "RSA-PSS keys and signatures",
      sent: [pssLeaf, pssInt],
      anchors: [pssRoot],
      tls: true,
      expect: { status: "valid", path: path(pssLeaf, pssInt, pssRoot) },
    },
    {
      name: "RSA keys with RSA-PSS signatures",
      sent: [pssSigned],
      anchors: [rsaRoot],
      tls: true,
      expect: { status: "valid", path: path(pssSigned, rsaRoot) },
    },
    {
      name: "ECDSA P-384",
      sent: [p384Leaf, p384Int],
      anchors: [p384Root],
      tls: true,
      expect: { status: "valid", path: path(p384Leaf, p384Int, p384Root) },
    },
    {
      name: "Ed25519 (TLS 1.3)",
      sent: [edLeaf, edInt],
      anchors: [edRoot],
      purpose: server("tls13"),
      tls: true,
      expect: { status: "valid", path: path(edLeaf, edInt, edRoot) },
    },
    {
      name: "a SHA-1 self-signed root",
      sent: [underSha1],
      anchors: [sha1Root],
      tls: true,
      expect: { status: "valid", path: path(underSha1, sha1Root) },
    },
    {
      name: "an X.509 v1 root as the anchor",
      sent: [underV1],
      anchors: [v1Root],
      expect: { status: "valid", path: path(underV1, v1Root) },
    },

    // ---- time ----
    {
      name: "an expired leaf: the path holds, cert.validity fails it",
      sent: [expiredLeaf, int],
      anchors: [root],
      expect: { status: "valid" },
    },
    {
      name: "validity periods that never overlap",
      sent: [afterShortInt, shortInt],
      anchors: [root],
      expect: problem("validity-overlap", /never overlap/),
    },

    // ---- revocation ----
    {
      name: "a leaf revoked by the plan's CRL",
      sent: [revokedLeaf, int],
      anchors: [root],
      crls: [crlRevoking],
      tls: true,
      expect: problem(
        "revoked",
        new RegExp(
          `^The server certificate CN=mes01\\.plant\\.local \\(serial ${revokedLeaf.serialNumber.toString("hex").toUpperCase()}\\) was revoked on ${revokedAt.toISOString().slice(0, 10)} \\(reason: keyCompromise\\), listed in the CRL of CN=Plant Issuing CA: no client will accept this chain\\.`,
        ),
      ),
    },
    {
      name: "a leaf revoked after a proven time (a time-stamp's), judged at that time",
      sent: [revokedLeaf, int],
      anchors: [root],
      crls: [crlRevoking],
      at: -5,
      nowIsProven: true,
      expect: {
        status: "valid",
        revocation: ["mes01.plant.local: good", "Plant Issuing CA: none"],
      },
    },
    {
      name: "the same leaf judged at a claimed time before its revocation",
      sent: [revokedLeaf, int],
      anchors: [root],
      crls: [crlRevoking],
      at: -5,
      expect: problem("revoked", /was revoked on /),
    },
    {
      name: "a leaf the CRL does not list",
      sent: [leaf, int],
      anchors: [root],
      crls: [crlRevoking],
      expect: {
        status: "valid",
        revocation: ["mes01.plant.local: good", "Plant Issuing CA: none"],
      },
    },
    {
      name: "an out-of-date CRL warns",
      sent: [leaf, int],
      anchors: [root],
      crls: [crlStale],
      expect: {
        status: "valid",
        warnings:
          /The CRL of CN=Plant Issuing CA in the plan is out of date: its next update was due on/,
      },
    },
    {
      name: "a CRL its issuer did not sign is not used",
      sent: [leaf, int],
      anchors: [root],
      crls: [crlForged],
      expect: {
        status: "valid",
        warnings: /is not signed by the key of CN=Plant Issuing CA/,
        revocation: ["mes01.plant.local: none", "Plant Issuing CA: none"],
      },
    },
    {
      name: "an intermediate revoked by the root's CRL",
      sent: [underRevokedInt, revokedInt],
      anchors: [root],
      crls: [rootCrlRevokingInt],
      expect: problem(
        "revoked",
        /^The intermediate CN=Revoked Issuing CA \(serial [0-9A-F]+\) was revoked on .* \(reason: cACompromise\), listed in the CRL of CN=Plant Root CA/,
      ),
    },
    {
      name: "a stapled OCSP response: revoked",
      sent: [leaf, int],
      anchors: [root],
      ocsp: ocsp("revoked", { revokedAt, reason: "superseded" }),
      tls: true,
      expect: problem(
        "revoked",
        /was revoked on .* \(reason: superseded\), according to the OCSP response the server staples: no client will accept this chain/,
      ),
    },
    {
      name: "a stapled OCSP response: good",
      sent: [leaf, int],
      anchors: [root],
      ocsp: ocsp("good"),
      tls: true,
      expect: {
        status: "valid",
        revocation: ["mes01.plant.local: good", "Plant Issuing CA: none"],
      },
    },
    {
      name: "a stapled OCSP response: unknown",
      sent: [leaf, int],
      anchors: [root],
      ocsp: ocsp("unknown"),
      expect: {
        status: "valid",
        revocation: ["mes01.plant.local: unknown", "Plant Issuing CA: none"],
      },
    },
    {
      name: "a good OCSP response from a delegated responder",
      sent: [leaf, int],
      anchors: [root],
      ocsp: ocsp("good", { responder }),
      expect: {
        status: "valid",
        revocation: ["mes01.plant.local: good", "Plant Issuing CA: none"],
      },
    },
    {
      name: "an OCSP response from a certificate not delegated for OCSP",
      sent: [leaf, int],
      anchors: [root],
      ocsp: ocsp("good", { responder: notResponder }),
      expect: problem(
        "bad-ocsp",
        /signed neither by the issuer nor by an OCSP responder the issuer delegated/,
      ),
    },
    {
      name: "a forged OCSP response",
      sent: [leaf, int],
      anchors: [root],
      ocsp: ocsp("revoked", { signingKey: generateKey(EC_P256) }),
      expect: { status: "bad-ocsp" },
    },
    {
      name: "an expired OCSP response warns and is not used",
      sent: [leaf, int],
      anchors: [root],
      ocsp: ocsp("good", {
        thisUpdate: daysFrom(now, -10),
        nextUpdate: daysFrom(now, -1),
      }),
      expect: {
        status: "valid",
        warnings: /cannot be used: it expired on/,
        revocation: ["mes01.plant.local: none", "Plant Issuing CA: none"],
      },
    },
    {
      name: "no revocation information, required by the policy",
      sent: [leaf, int],
      anchors: [root],
      requireRevocation: true,
      expect: problem(
        "no-revocation",
        /^No revocation information for CN=mes01\.plant\.local and CN=Plant Issuing CA: the plan holds no CRL, and the server staples no OCSP response — the plan's policy requires/,
      ),
    },
    {
      name: "revocation information for the whole path, required by the policy",
      sent: [leaf, int],
      anchors: [root],
      requireRevocation: true,
      crls: [crlClean, rootCrl],
      expect: {
        status: "valid",
        revocation: ["mes01.plant.local: good", "Plant Issuing CA: good"],
      },
    },
  ];
}
