// The thresholds of DESIGN §3 as data: one table, read by the rules and printed by the report. The plan's policy
// may only make them stricter (`minimumTlsVersion`, `headroomDays`); see `effectiveTlsThresholds`.

/** Protocol versions in the order they were published; the ids are the words the evidence records. */
export const TLS_PROTOCOLS = [
  "SSLv2",
  "SSLv3",
  "TLSv1",
  "TLSv1.1",
  "TLSv1.2",
  "TLSv1.3",
] as const;
export type TlsProtocol = (typeof TLS_PROTOCOLS)[number];

/** How people write them: "TLS 1.0", not "TLSv1". */
export const TLS_PROTOCOL_LABELS: Readonly<Record<TlsProtocol, string>> = {
  SSLv2: "SSL 2.0",
  SSLv3: "SSL 3.0",
  TLSv1: "TLS 1.0",
  "TLSv1.1": "TLS 1.1",
  "TLSv1.2": "TLS 1.2",
  "TLSv1.3": "TLS 1.3",
};

/** "TLS 1.2" for "TLSv1.2"; a protocol name Cellcert does not know, as it was read. */
export function tlsProtocolLabel(protocol: string): string {
  return (TLS_PROTOCOLS as readonly string[]).includes(protocol)
    ? TLS_PROTOCOL_LABELS[protocol as TlsProtocol]
    : protocol;
}

/**
 * Why a cipher suite fails or warns (DESIGN §3 "suites"). A suite can carry several; the worst decides.
 * Fail: null, anonymous, export, rc4, des, 3des, md5. Warn (TLS 1.2 suites): no-forward-secrecy, no-aead.
 */
export const SUITE_WEAKNESSES = [
  "null",
  "anonymous",
  "export",
  "rc4",
  "des",
  "3des",
  "md5",
  "no-forward-secrecy",
  "no-aead",
] as const;
export type SuiteWeakness = (typeof SUITE_WEAKNESSES)[number];

export const SUITE_WEAKNESS_LABELS: Readonly<Record<SuiteWeakness, string>> = {
  null: "no encryption (NULL)",
  anonymous: "no server authentication (anonymous)",
  export: "export-grade (40/56-bit) cryptography",
  rc4: "RC4",
  des: "single DES",
  "3des": "3DES",
  md5: "MD5 message authentication",
  "no-forward-secrecy": "no forward secrecy (static key exchange)",
  "no-aead": "no AEAD (CBC mode)",
};

export type SignatureHash =
  | "md2"
  | "md5"
  | "sha1"
  | "sha224"
  | "sha256"
  | "sha384"
  | "sha512"
  | "intrinsic"
  | "unknown";

/** DESIGN §3, one entry per row. `text` is what the report prints as the threshold. */
export const THRESHOLDS = {
  protocols: {
    fail: ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"] as readonly TlsProtocol[],
    /** Warn when this one is not offered. */
    warnUnlessOffered: "TLSv1.3" as TlsProtocol,
    text: {
      fail: "SSL 2.0, SSL 3.0, TLS 1.0 or TLS 1.1 accepted",
      warn: "TLS 1.3 not offered",
    },
  },
  suites: {
    fail: [
      "null",
      "anonymous",
      "export",
      "rc4",
      "des",
      "3des",
      "md5",
    ] as readonly SuiteWeakness[],
    /** Only for suites accepted with TLS 1.2 (TLS 1.3 suites all have both; older protocols fail on their own). */
    warn: ["no-forward-secrecy", "no-aead"] as readonly SuiteWeakness[],
    text: {
      fail: "NULL, anonymous, EXPORT, RC4, DES, 3DES or MD5 suites accepted",
      warn: "TLS 1.2 suites without forward secrecy or without AEAD (CBC) accepted",
    },
  },
  keys: {
    /** Minimum bits by key type; EC by curve size. */
    minimumBits: { rsa: 2048, "rsa-pss": 2048, dsa: 2048, dh: 2048, ec: 256 },
    text: { fail: "RSA/DSA/DH < 2048 bits, EC < 256 bits", warn: "" },
  },
  signatures: {
    fail: ["md2", "md5", "sha1"] as readonly SignatureHash[],
    text: {
      fail: "MD5 or SHA-1 on the leaf or an intermediate (a self-signed root's own signature excepted)",
      warn: "",
    },
  },
  validity: {
    /** Warn when a certificate expires within this many days; the policy may raise it. */
    headroomDays: 30,
    text: {
      fail: "expired or not yet valid",
      warn: "expires within the headroom (30 days by default)",
    },
  },
  chain: {
    text: {
      fail: "does not validate to the trust anchors, or the server omits an intermediate",
      warn: "",
    },
  },
  name: {
    text: {
      fail: "host or SNI name not in subjectAltName (DNS or IP); the CN alone does not count",
      warn: "",
    },
  },
  hsts: {
    /** 180 days. */
    minimumMaxAgeSeconds: 15_552_000,
    text: {
      fail: "",
      warn: "on any listed path's final answer (after same-host redirects): missing, invalid (a directive twice, max-age missing or not a non-negative integer), or max-age < 15552000 s (max-age=0 is valid and warns); the first valid header of an answer counts",
    },
  },
  plainHttp: {
    text: {
      fail: "serves content (2xx), asks for a login (401), or redirects anywhere but to https on the same host (or the endpoint's server name)",
      warn: 'any other answer that is not content: 403 (IIS 403.4 "SSL required"), other 4xx/5xx, an answer that is not HTTP',
    },
  },
} as const;

/** What the plan's policy may tighten. */
export interface ThresholdPolicy {
  minimumTlsVersion: "TLSv1.2" | "TLSv1.3";
  headroomDays: number;
}

export interface EffectiveTlsThresholds {
  /** Protocols whose acceptance fails. */
  failingProtocols: readonly TlsProtocol[];
  /** The lowest protocol that passes, e.g. "TLSv1.2". */
  minimumProtocol: TlsProtocol;
  headroomDays: number;
}

/** DESIGN §3 with the policy applied; the policy can only make it stricter, never looser. */
export function effectiveTlsThresholds(
  policy: Partial<ThresholdPolicy> = {},
): EffectiveTlsThresholds {
  const minimum: TlsProtocol =
    policy.minimumTlsVersion === "TLSv1.3" ? "TLSv1.3" : "TLSv1.2";
  const minimumIndex = TLS_PROTOCOLS.indexOf(minimum);
  const failing = new Set<TlsProtocol>([
    ...THRESHOLDS.protocols.fail,
    ...TLS_PROTOCOLS.filter((_, index) => index < minimumIndex),
  ]);
  return {
    failingProtocols: TLS_PROTOCOLS.filter((p) => failing.has(p)),
    minimumProtocol: minimum,
    headroomDays: Math.max(
      THRESHOLDS.validity.headroomDays,
      policy.headroomDays ?? THRESHOLDS.validity.headroomDays,
    ),
  };
}
