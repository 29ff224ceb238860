// The APP-DB checks (DESIGN §4) as pure functions of the SQL Server probe's evidence: encryption forced, the
// certificate inside TDS, its TLS version, and — with credentials — SQL authentication, mixed mode and the MES
// application's own sessions. A check whose prerequisite (catalog) failed is not-tested, naming it (DESIGN §2).
import {
  blockingPrerequisite,
  prerequisiteFailed,
} from "../../../shared/verdicts/prerequisites";
import { commonName } from "../../../shared/evidence/distinguished-name";
import {
  effectiveTlsThresholds,
  tlsProtocolLabel,
  TLS_PROTOCOLS,
  type TlsProtocol,
} from "../../../shared/catalog/thresholds";
import type {
  MssqlEvidence,
  PreloginAnswer,
  TdsTls,
} from "../../../shared/evidence/mssql";
import {
  notTested,
  outcome,
  unjudgedReason,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import {
  certificateCheckIds,
  combineCertificateOutcomes,
  evaluateCertificate,
  keyExchangeOf,
  type CertificateJudgeOptions,
} from "../x509";
import { formatHostPort } from "../../../shared/model/net";
import {
  judgeAppSessions,
  judgeAuth,
  judgeMixedMode,
  type SqlLoginContext,
} from "./app-db-sql";

export const APP_DB_CHECKS = [
  "APP-DB.tds.encryption",
  "APP-DB.tds.cert",
  "APP-DB.tds.protocol",
  "APP-DB.sql.auth",
  "APP-DB.sql.mixed-mode",
  "APP-DB.sql.app-sessions",
] as const;
export type AppDbCheckId = (typeof APP_DB_CHECKS)[number];

export interface AppDbContext extends SqlLoginContext {
  /** The plan's trust anchors for this endpoint, PEM. */
  anchorsPem: readonly string[];
  publicRoots: boolean;
  /** policy.headroomDays (at least 30). */
  headroomDays: number;
  /** policy.minimumTlsVersion. */
  minimumTlsVersion: "TLSv1.2" | "TLSv1.3";
  now: Date;
  /** The plan's CRLs (PEM or DER). */
  crls?: readonly (string | Uint8Array)[];
  /** policy.requireRevocation. */
  requireRevocation?: boolean;
}

/** SQL Server's certificate when none is configured. */
export const SELF_SIGNED_FALLBACK_CN = "SSL_Self_Signed_Fallback";

/** What the probe found about encryption, in the words the verdicts use. */
export type EncryptionSituation =
  | { kind: "unreachable" }
  /** PRELOGIN answered REQ (or ON) to a client asking OFF: every session encrypted. */
  | { kind: "forced"; answer: PreloginAnswer; strictSupported: boolean }
  /** A cleartext PRELOGIN was refused while TLS-first (TDS 8.0) works. */
  | { kind: "strict-enforced" }
  /** PRELOGIN answered OFF: encryption only when the client asks. */
  | {
      kind: "available-not-forced";
      answer: PreloginAnswer;
      strictSupported: boolean;
    }
  /** PRELOGIN answered NOT_SUP: no certificate, no TLS. */
  | { kind: "not-supported"; answer: PreloginAnswer; strictSupported: boolean }
  /** The cleartext PRELOGIN went unanswered while TDS 8.0 works: enforcement not proven. */
  | { kind: "strict-unproven" }
  /** An ENCRYPTION value MS-TDS does not define. */
  | { kind: "unknown-answer"; answer: PreloginAnswer }
  /** The endpoint answers, but not as a SQL Server (or not at all) on either path. */
  | { kind: "not-sql-server"; detail: string };

export function encryptionSituation(
  evidence: MssqlEvidence,
): EncryptionSituation {
  const cleartext = evidence.prelogin;
  if (evidence.unreachable !== null || cleartext === null) {
    return { kind: "unreachable" };
  }
  const strictSupported = evidence.tds8?.outcome === "works";
  if (cleartext.outcome === "answered" && cleartext.answer !== null) {
    const answer = cleartext.answer;
    switch (answer.encryption) {
      case "required":
      case "on":
        return { kind: "forced", answer, strictSupported };
      case "off":
        return { kind: "available-not-forced", answer, strictSupported };
      case "not-supported":
        return { kind: "not-supported", answer, strictSupported };
      case "unknown":
        return { kind: "unknown-answer", answer };
    }
  }
  if (strictSupported) {
    // A refusal (close, reset, or a TLS alert) proves enforcement; silence does not.
    return cleartext.outcome === "no-answer"
      ? { kind: "strict-unproven" }
      : { kind: "strict-enforced" };
  }
  return {
    kind: "not-sql-server",
    detail: cleartext.error?.message ?? "the PRELOGIN was not answered",
  };
}

const hex = (n: number): string =>
  `0x${n.toString(16).padStart(2, "0").toUpperCase()}`;
const ANSWER_WORD: Record<PreloginAnswer["encryption"], string> = {
  off: "OFF",
  on: "ON",
  "not-supported": "NOT_SUP",
  required: "REQ",
  unknown: "unknown",
};

function registryValue(evidence: MssqlEvidence, name: string): string | null {
  const row = evidence.credentialed?.registry?.find(
    (r) => r.name.toLowerCase() === name.toLowerCase(),
  );
  return row === undefined ? null : row.value;
}

function versionPhrase(evidence: MssqlEvidence): string {
  const version =
    evidence.prelogin?.answer?.version ??
    evidence.tds8?.answer?.version ??
    null;
  if (version === null) return "";
  return version.product === ""
    ? ` (version ${version.text})`
    : ` (${version.product}, ${version.text})`;
}

const ENCRYPTION_THRESHOLD =
  "PRELOGIN answers encryption required (Force Encryption), or TDS 8.0 strict encryption is enforced";

function judgeEncryption(evidence: MssqlEvidence): CheckOutcome {
  const id = "APP-DB.tds.encryption";
  const situation = encryptionSituation(evidence);
  const where =
    evidence.target.port === null
      ? `${evidence.target.host} (port unknown)`
      : formatHostPort(evidence.target.host, evidence.target.port);
  const server = `SQL Server at ${where}${versionPhrase(evidence)}`;
  const forceRegistry = registryValue(evidence, "ForceEncryption");
  const registryNote =
    forceRegistry === null
      ? ""
      : `; registry ForceEncryption = ${forceRegistry}`;
  const strictNote = (supported: boolean): string =>
    supported ? "; TDS 8.0 strict supported, not enforced" : "";
  switch (situation.kind) {
    case "unreachable":
      return notTested(
        id,
        "unreachable",
        evidence.unreachable?.message ?? "The SQL Server could not be reached.",
      );
    case "forced":
      return outcome(
        id,
        "pass",
        `${server} forces encryption: a client asking for none is told ${ANSWER_WORD[situation.answer.encryption]}, so every session runs inside TLS.`,
        {
          measured: `PRELOGIN ENCRYPTION ${ANSWER_WORD[situation.answer.encryption]} (${hex(situation.answer.encryptionByte)}) to a client asking OFF${strictNote(situation.strictSupported)}${registryNote}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "strict-enforced":
      return outcome(
        id,
        "pass",
        `${server} enforces TDS 8.0 strict encryption: it refuses a cleartext PRELOGIN, and every session starts with TLS.`,
        {
          measured: `cleartext PRELOGIN refused (${evidence.prelogin?.error?.message ?? "closed"}); TDS 8.0 (TLS first, ALPN ${evidence.tds8?.tls?.alpn ?? "—"}) works${registryNote}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "available-not-forced":
      return outcome(
        id,
        "fail",
        `${server} encrypts only when the client asks: it answers OFF to a client asking OFF, so a client without Encrypt=True sends its queries and results in clear (only the login is encrypted). Set Force Encryption = Yes in SQL Server Configuration Manager (Protocols for the instance → Properties)${situation.strictSupported ? ", or Force Strict Encryption since TDS 8.0 already works" : ""}, and restart the service.`,
        {
          measured: `PRELOGIN ENCRYPTION OFF (${hex(situation.answer.encryptionByte)}) to a client asking OFF${strictNote(situation.strictSupported)}${registryNote}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "not-supported":
      return outcome(
        id,
        "fail",
        `${server} cannot encrypt at all: it answers NOT_SUP, so every session — the SQL login's password included — travels in clear. Install a certificate issued by the plant's CA for the instance, set Force Encryption = Yes, and restart the service.`,
        {
          measured: `PRELOGIN ENCRYPTION NOT_SUP (${hex(situation.answer.encryptionByte)})${registryNote}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "strict-unproven":
      return notTested(
        id,
        "strict enforcement not proven",
        `${server} speaks TDS 8.0, but did not answer a cleartext PRELOGIN within the timeout rather than refusing it, so whether cleartext clients are refused is not proven. Probe again; if it stays silent, check Force Strict Encryption in SQL Server Configuration Manager and attest it.`,
      );
    case "unknown-answer":
      return outcome(
        id,
        "fail",
        `${server} answered the PRELOGIN with ENCRYPTION ${hex(situation.answer.encryptionByte)}, a value MS-TDS does not define: clients cannot rely on it. Check what answers on this port.`,
        {
          measured: `PRELOGIN ENCRYPTION ${hex(situation.answer.encryptionByte)}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "not-sql-server": {
      const tds8 = evidence.tds8;
      const tds8Note =
        tds8 === null
          ? ""
          : ` TDS 8.0 (TLS first) did not work either: ${tds8.error?.message ?? tds8.outcome}`;
      return outcome(
        id,
        "fail",
        `The endpoint at ${where} does not answer as a SQL Server: ${situation.detail}${tds8Note} Check the port (a named instance has its own), and that SQL Server listens there.`,
        {
          measured: `cleartext PRELOGIN: ${evidence.prelogin?.outcome ?? "—"}; TDS 8.0: ${tds8?.outcome ?? "not tried"}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    }
  }
}

/** The handshakes that completed inside TDS, the TDS 7 one (what the MES application meets) first. */
function completedHandshakes(
  evidence: MssqlEvidence,
): { path: "PRELOGIN" | "TDS 8.0"; tls: TdsTls }[] {
  const found: { path: "PRELOGIN" | "TDS 8.0"; tls: TdsTls }[] = [];
  const inPrelogin = evidence.prelogin?.tls;
  if (inPrelogin?.completed === true)
    found.push({ path: "PRELOGIN", tls: inPrelogin });
  const tds8 = evidence.tds8;
  if (tds8?.outcome === "works" && tds8.tls?.completed === true)
    found.push({ path: "TDS 8.0", tls: tds8.tls });
  return found;
}

const VERDICT_RANK = { fail: 3, "not-tested": 2, warn: 1, pass: 0 } as const;

async function judgeCertificate(
  evidence: MssqlEvidence,
  context: AppDbContext,
): Promise<CheckOutcome> {
  const id = "APP-DB.tds.cert";
  const handshakes = completedHandshakes(evidence);
  if (handshakes.length === 0) {
    const failed =
      evidence.prelogin?.tls?.error ?? evidence.tds8?.tls?.error ?? null;
    return notTested(
      id,
      "no certificate",
      failed === null
        ? "No TLS session was set up inside TDS, so there is no certificate to judge."
        : `No TLS session was set up inside TDS, so there is no certificate to judge: ${failed.message}`,
    );
  }
  const judged = new Map<string, CheckOutcome>();
  for (const { path, tls } of handshakes) {
    const leaf = tls.chain[0];
    const key = leaf?.fingerprintSha256 ?? path;
    if (judged.has(key)) continue;
    const combined =
      leaf !== undefined && commonName(leaf.subject) === SELF_SIGNED_FALLBACK_CN
        ? await fallbackOutcome(id, evidence, context, tls)
        : combineCertificateOutcomes(
            id,
            await evaluateCertificate(
              tls.chain,
              tdsJudgeOptions(evidence, context, tls),
            ),
          );
    judged.set(
      key,
      handshakes.length > 1 && judged.size > 0
        ? {
            ...combined,
            message: `TDS 8.0 presents another certificate: ${combined.message}`,
          }
        : combined,
    );
  }
  return [...judged.values()].reduce((worst, next) =>
    VERDICT_RANK[next.verdict] > VERDICT_RANK[worst.verdict] ? next : worst,
  );
}

/** How the certificate inside TDS is judged: a TLS server's, against the negotiated key exchange. */
function tdsJudgeOptions(
  evidence: MssqlEvidence,
  context: AppDbContext,
  tls: TdsTls,
): CertificateJudgeOptions {
  return {
    checkIds: certificateCheckIds("APP-DB"),
    anchorsPem: context.anchorsPem,
    crls: context.crls ?? [],
    ocspStaple:
      tls.ocspStaple == null ? null : Buffer.from(tls.ocspStaple, "base64"),
    requireRevocation: context.requireRevocation ?? false,
    purpose: {
      kind: "server-tls",
      keyExchange:
        tls.protocol === null || tls.cipher === null
          ? null
          : keyExchangeOf(tls.protocol, tls.cipher.standardName),
    },
    publicRoots: context.publicRoots,
    referenceName: evidence.target.serverName,
    headroomDays: context.headroomDays,
    now: context.now,
  };
}

/** The self-signed fallback fails by name, whatever else is said about it. */
async function fallbackOutcome(
  id: string,
  evidence: MssqlEvidence,
  context: AppDbContext,
  tls: TdsTls,
): Promise<CheckOutcome> {
  const certificateValue = registryValue(evidence, "Certificate");
  const aspects = combineCertificateOutcomes(
    id,
    await evaluateCertificate(
      tls.chain,
      tdsJudgeOptions(evidence, context, tls),
    ),
  );
  return outcome(
    id,
    "fail",
    `SQL Server is using its self-signed fallback certificate: no certificate is configured, so the session is encrypted but the server's identity is not proven, and anyone on the network can pose as it. Install a certificate issued by the plant's CA for ${evidence.target.serverName} (SQL Server Configuration Manager → Protocols for the instance → Properties → Certificate) and restart the service.`,
    {
      measured: `CN=${SELF_SIGNED_FALLBACK_CN} (SHA-256 ${tls.chain[0]?.fingerprintSha256 ?? "—"})${certificateValue === null ? "" : `; registry Certificate = "${certificateValue}"`}; ${aspects.measured}`,
      threshold:
        "a certificate issued by the plant's CA for the server's name; never SQL Server's self-signed fallback",
    },
  );
}

function protocolRank(protocol: string | null): number {
  return protocol === null
    ? -1
    : TLS_PROTOCOLS.indexOf(protocol as TlsProtocol);
}
function judgeProtocol(
  evidence: MssqlEvidence,
  context: AppDbContext,
): CheckOutcome {
  const id = "APP-DB.tds.protocol";
  const thresholds = effectiveTlsThresholds({
    minimumTlsVersion: context.minimumTlsVersion,
  });
  const minimum = thresholds.minimumProtocol;
  const threshold = `${tlsProtocolLabel(minimum)} or newer (the probe offers TLS 1.2 and 1.3 only; older versions are never offered to SQL Server, DESIGN §5)`;
  const handshakes = completedHandshakes(evidence);
  const tds7Failure =
    evidence.prelogin?.tls !== null &&
    evidence.prelogin?.tls !== undefined &&
    !evidence.prelogin.tls.completed
      ? evidence.prelogin.tls.error
      : null;
  const measured = handshakes
    .map(
      ({ path, tls }) =>
        `${tlsProtocolLabel(tls.protocol ?? "?")} inside ${path === "PRELOGIN" ? "PRELOGIN (TDS 7)" : "TDS 8.0"} (${tls.cipher?.standardName ?? "—"})`,
    )
    .join("; ");
  if (tds7Failure !== null) {
    return outcome(
      id,
      "fail",
      `No TLS 1.2 or newer session could be set up inside TDS, which clients of the MES application use: ${tds7Failure.message} Enable TLS 1.2 for SQL Server (and Windows' Schannel) and install a current SQL Server update.`,
      {
        measured:
          measured === ""
            ? `handshake failed (${tds7Failure.code || tds7Failure.kind})`
            : `${measured}; inside PRELOGIN: handshake failed (${tds7Failure.code || tds7Failure.kind})`,
        threshold,
      },
    );
  }
  if (handshakes.length === 0) {
    return notTested(
      id,
      "no TLS session",
      "No TLS session was set up inside TDS, so there is no protocol version to judge.",
    );
  }
  const weak = handshakes.filter(
    ({ tls }) => protocolRank(tls.protocol) < protocolRank(minimum),
  );
  if (weak.length > 0) {
    return outcome(
      id,
      "fail",
      `SQL Server negotiates ${weak.map(({ tls }) => tlsProtocolLabel(tls.protocol ?? "?")).join(", ")}, below ${tlsProtocolLabel(minimum)}${minimum === "TLSv1.3" ? " (the plan's policy)" : ""}. Enable ${tlsProtocolLabel(minimum)} for SQL Server and disable the older versions in Windows' Schannel.`,
      { measured, threshold },
    );
  }
  return outcome(
    id,
    "pass",
    `SQL Server negotiates ${[...new Set(handshakes.map(({ tls }) => tlsProtocolLabel(tls.protocol ?? "?")))].join(" and ")} inside TDS.`,
    { measured, threshold },
  );
}

const JUDGES: Record<
  AppDbCheckId,
  (
    evidence: MssqlEvidence,
    context: AppDbContext,
  ) => CheckOutcome | Promise<CheckOutcome>
> = {
  "APP-DB.tds.encryption": (evidence) => judgeEncryption(evidence),
  "APP-DB.tds.cert": judgeCertificate,
  "APP-DB.tds.protocol": judgeProtocol,
  "APP-DB.sql.auth": judgeAuth,
  "APP-DB.sql.mixed-mode": judgeMixedMode,
  "APP-DB.sql.app-sessions": judgeAppSessions,
};

/**
 * The six APP-DB outcomes, in catalog order. Unreachable: all not-tested. A check whose catalog prerequisite
 * failed (or was itself not judged for one) is not-tested, naming it: one fault, one failing check.
 */
export async function judgeAppDb(
  evidence: MssqlEvidence,
  context: AppDbContext,
): Promise<CheckOutcome[]> {
  if (evidence.unreachable !== null || evidence.prelogin === null) {
    const message =
      evidence.unreachable?.message ?? "The SQL Server could not be reached.";
    const reason =
      evidence.unreachable?.kind === "browser"
        ? "instance port unknown"
        : unjudgedReason(evidence.unreachable);
    return APP_DB_CHECKS.map((id) => notTested(id, reason, message));
  }
  const decided = new Map<string, CheckOutcome>();
  for (const id of APP_DB_CHECKS) {
    const blocker = blockingPrerequisite(id, {
      decided: (check) => decided.get(check),
    });
    decided.set(
      id,
      blocker === null
        ? await JUDGES[id](evidence, context)
        : prerequisiteFailed(id, blocker),
    );
  }
  return APP_DB_CHECKS.map(
    (id) => decided.get(id) ?? notTested(id, "not judged", "Not judged."),
  );
}
