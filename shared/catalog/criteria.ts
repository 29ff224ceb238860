// "Pass if" / "Fail if" / "Warn if" for every check of the rule catalog, worded the same way everywhere: a
// clause about what was observed, in the present tense, with the plan's policy applied (DESIGN §3). The
// certificate prints them for each check it gives in full, and the UI's check cards show the same words.
import type { CheckDefinition } from "./catalog";

export interface CheckCriteria {
  passIf: string;
  failIf: string;
  /** Null where the check never warns. */
  warnIf: string | null;
}

/** The parts of the plan's policy that move a threshold. */
export interface CriteriaPolicy {
  headroomDays: number;
  minimumTlsVersion: "TLSv1.2" | "TLSv1.3";
  requireRevocation: boolean;
}

export const DEFAULT_CRITERIA_POLICY: CriteriaPolicy = {
  headroomDays: 30,
  minimumTlsVersion: "TLSv1.2",
  requireRevocation: false,
};

const CERTIFICATE_RULES =
  "chain, name, validity and key and signature strength";

/** The criteria of one check under the plan's policy. */
export function checkCriteria(
  check: Pick<CheckDefinition, "id">,
  policy: CriteriaPolicy = DEFAULT_CRITERIA_POLICY,
): CheckCriteria {
  const days = policy.headroomDays;
  const suffix = check.id.slice(check.id.indexOf(".") + 1);
  const tls13Only = policy.minimumTlsVersion === "TLSv1.3";
  switch (suffix) {
    case "tls.protocol":
      return {
        passIf: tls13Only
          ? "the server accepts TLS 1.3 only"
          : "the server accepts TLS 1.2 and TLS 1.3 only",
        failIf: `the server accepts SSLv2, SSLv3, TLS 1.0${tls13Only ? ", TLS 1.1 or TLS 1.2" : " or TLS 1.1"}`,
        warnIf: tls13Only ? null : "the server does not offer TLS 1.3",
      };
    case "tls.suites":
      return {
        passIf:
          "every suite the server accepts has forward secrecy and authenticated encryption (AEAD)",
        failIf:
          "the server accepts a NULL, anonymous, EXPORT, RC4, DES, 3DES or MD5 suite, or a DHE suite with a group under 2048 bits",
        warnIf:
          "the server accepts a TLS 1.2 suite without forward secrecy or without AEAD (CBC)",
      };
    case "cert.chain":
      return {
        passIf:
          "the chain as sent validates (RFC 5280) to the plan's trust anchors, or to public roots where the endpoint allows them, with every intermediate sent",
        failIf: `no valid path exists, an intermediate is missing, the leaf excludes serverAuth or forbids the key exchange, or a certificate is revoked${policy.requireRevocation ? ", or the chain has no revocation information" : ""}`,
        warnIf: "a CRL of the plan's trust material is past its next update",
      };
    case "cert.name":
      return {
        passIf:
          "the host or server name is in the certificate's subjectAltName (DNS or IP)",
        failIf:
          "the name is not in the subjectAltName (a common name alone does not count)",
        warnIf: null,
      };
    case "cert.validity":
      return {
        passIf: `the certificate is valid and expires more than ${days} days after the run`,
        failIf: "the certificate has expired or is not yet valid",
        warnIf: `the certificate expires within ${days} days`,
      };
    case "cert.strength":
      return {
        passIf:
          "every key is RSA or DSA of at least 2048 bits or EC of at least 256 bits, and no certificate but a self-signed root is signed with MD5 or SHA-1",
        failIf:
          "a key is smaller, or the leaf or an intermediate is signed with MD5 or SHA-1",
        warnIf: null,
      };
    case "reach":
      return {
        passIf: "the endpoint completes a TLS handshake from the vantage",
        failIf: "the endpoint does not answer with TLS from the vantage",
        warnIf: null,
      };
    case "http.plain":
    case "vdir.plain":
      return {
        passIf:
          "plain HTTP is closed on every path, or redirects to https on the same host",
        failIf:
          "plain HTTP serves content (2xx), asks for a login (401), or redirects anywhere but to https on the same host",
        warnIf:
          "plain HTTP answers otherwise without content (403, other 4xx or 5xx, not HTTP)",
      };
    case "http.hsts":
      return {
        passIf:
          "every path's final HTTPS answer carries a valid Strict-Transport-Security header with max-age of at least 15552000 s (180 days)",
        failIf: "never: this check is recommended and only warns",
        warnIf:
          "the header is missing or invalid, or its max-age is below 15552000 s",
      };
    case "segmentation":
      return {
        passIf:
          "no port of the protected cells' endpoints can be reached from the enterprise cell (refused, filtered, reset or unreachable)",
        failIf: "a connection to such a port opens",
        warnIf: null,
      };
    case "mtls.anonymous-refused":
      return {
        passIf:
          "a client without a certificate is refused over TLS 1.2 and TLS 1.3: at the handshake, on the first read, or with an HTTP 4xx other than 404",
        failIf: "a client without a certificate is served",
        warnIf: null,
      };
    case "mtls.untrusted-refused":
      return {
        passIf:
          "a client certificate from an unknown CA, made on the spot, is refused",
        failIf: "that certificate is served",
        warnIf: null,
      };
    case "mtls.identity-accepted":
      return {
        passIf:
          "the plan's client identity is served over every TLS version the server offers",
        failIf: "the plan's client identity is refused",
        warnIf:
          "the client identity lacks clientAuth in its extended key usage",
      };
    case "vdir.https":
      return {
        passIf:
          "each path answers over HTTPS with 2xx, a same-host 3xx, 401 or 403, within 5 redirects",
        failIf:
          "a path answers 404 or 5xx, does not answer, or redirects to a host the plan does not allow",
        warnIf: null,
      };
    case "opcua.mode":
      return {
        passIf: "every endpoint the server lists uses SignAndEncrypt",
        failIf:
          "an endpoint uses security mode None, or the server does not answer as OPC UA",
        warnIf: "an endpoint signs without encrypting (Sign)",
      };
    case "opcua.policy":
      return {
        passIf:
          "no endpoint or user token offers Basic128Rsa15 or Basic256 (deprecated)",
        failIf: "an endpoint or user token offers Basic128Rsa15 or Basic256",
        warnIf: "a security policy Cellcert does not know is offered",
      };
    case "opcua.anonymous":
      return {
        passIf: "no endpoint offers the Anonymous user token",
        failIf: "an endpoint offers the Anonymous user token",
        warnIf: null,
      };
    case "opcua.user-token":
      return {
        passIf:
          "no user-name or issued token would travel in clear (policy None on an endpoint that does not encrypt)",
        failIf: "such a token is offered",
        warnIf: null,
      };
    case "opcua.cert":
    case "tds.cert":
      return {
        passIf: `the server's certificate passes the certificate rules (${CERTIFICATE_RULES}) against the plan's trust anchors${suffix === "tds.cert" ? ", and is not SQL Server's self-signed fallback" : ""}`,
        failIf: `a certificate rule fails${suffix === "tds.cert" ? ", or the certificate is the self-signed fallback" : ""}`,
        warnIf: `the certificate expires within ${days} days`,
      };
    case "tds.encryption":
      return {
        passIf:
          "SQL Server answers PRELOGIN with encryption required, or enforces TDS 8.0 strict encryption",
        failIf:
          "encryption is available but not forced, or not supported at all",
        warnIf: null,
      };
    case "tds.protocol":
      return {
        passIf: `the TLS inside TDS is ${tls13Only ? "TLS 1.3" : "TLS 1.2 or newer"}`,
        failIf: "an older version is negotiated",
        warnIf: null,
      };
    case "sql.auth":
      return {
        passIf:
          "the plan's SQL login gets an encrypted (encrypt_option TRUE), SQL-authenticated session",
        failIf: "the session is not encrypted or the login is refused",
        warnIf: null,
      };
    case "sql.mixed-mode":
      return {
        passIf: "the server accepts SQL logins (IsIntegratedSecurityOnly = 0)",
        failIf: "the server accepts Windows logins only",
        warnIf: null,
      };
    case "sql.app-sessions":
      return {
        passIf:
          "every session of the MES application's login is encrypted and SQL-authenticated",
        failIf: "never: this check is recommended and only warns",
        warnIf: "a session of the MES application is not encrypted",
      };
    case "secure-protocol":
      return {
        passIf: "the external system answers with TLS",
        failIf:
          "it answers in plaintext or in another protocol, unless waived naming the IT department's alternative",
        warnIf: null,
      };
    case "firewall.allowed":
      return {
        passIf:
          "every port the firewall should allow opens from the remote site",
        failIf: "an allowed port is refused, filtered or unreachable",
        warnIf: null,
      };
    case "firewall.denied":
      return {
        passIf:
          "every port the firewall should deny is refused, filtered, reset or unreachable from the remote site",
        failIf: "a denied port opens",
        warnIf: null,
      };
    case "vpn":
      return {
        passIf:
          "with the VPN down the MES ports cannot be reached from the remote site, and with it up they open",
        failIf: "never: this check is recommended and only warns",
        warnIf: "a MES port opens without the VPN",
      };
    case "guideline":
      return {
        passIf:
          "the engineer attests that the link follows the back-end vendor's guideline named on the endpoint",
        failIf: "the link does not follow it",
        warnIf: null,
      };
    case "colocation":
      return {
        passIf:
          "the engineer attests that the manufacturing components share the MES cell",
        failIf: "never: this check is recommended and only warns",
        warnIf: "they are spread over several cells",
      };
    case "countermeasures":
      return {
        passIf:
          "the engineer attests the countermeasures applied inside the MES cell",
        failIf: "never: this check is recommended and only warns",
        warnIf: "no countermeasure is listed",
      };
    default:
      return {
        passIf: "the requirement is met",
        failIf: "it is not met",
        warnIf: null,
      };
  }
}

/** "Pass if …." as one sentence, the same on the certificate and in the app. */
export function criteriaLines(
  criteria: CheckCriteria,
): { label: "Pass if" | "Warn if" | "Fail if"; text: string }[] {
  return [
    { label: "Pass if", text: sentence(criteria.passIf) },
    ...(criteria.warnIf === null
      ? []
      : [{ label: "Warn if" as const, text: sentence(criteria.warnIf) }]),
    { label: "Fail if", text: sentence(criteria.failIf) },
  ];
}

function sentence(clause: string): string {
  return `${clause}.`;
}
