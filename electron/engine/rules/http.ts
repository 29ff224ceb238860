// The web checks (DESIGN §3, §4) as pure functions over HTTP evidence: plain HTTP (ENT-PER.http.plain,
// IIS-BIND.vdir.plain), paths over HTTPS (IIS-BIND.vdir.https) and HSTS (ENT-PER.http.hsts).
import type {
  HttpEvidence,
  HttpExchange,
  PathObservation,
} from "../../../shared/evidence/web";
import {
  outcome,
  notTested,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import type { MeasuredVerdict } from "../../../shared/plant-words";
import { THRESHOLDS } from "../../../shared/catalog/thresholds";
import { formatHostPort, sendsServerName } from "../../../shared/model/net";
import {
  isServerNameRefusal,
  NEEDS_SERVER_NAME,
  needsServerNameMessage,
} from "./server-name";

/** DESIGN §3: HSTS max-age below 180 days warns. */
const HSTS_MIN_MAX_AGE = THRESHOLDS.hsts.minimumMaxAgeSeconds;
const HSTS_MIN_DAYS = HSTS_MIN_MAX_AGE / 86_400;

interface PathJudgement {
  verdict: MeasuredVerdict;
  /** "/Opcenter 302 → https" */
  measured: string;
  /** The sentence for this path. */
  message: string;
  /** Why not tested, when it is not: "unreachable" unless said. */
  reason?: string;
}

const UNREACHABLE: readonly HttpExchange["outcome"][] = [
  "dns-failure",
  "unreachable",
];
const CLOSED: readonly HttpExchange["outcome"][] = [
  "refused",
  "filtered",
  "reset",
  "closed",
  "timeout",
];
const ORDER: readonly MeasuredVerdict[] = [
  "fail",
  "not-tested",
  "warn",
  "pass",
];

/** The worst path decides; every path is named in the measurement. */
function combine(
  checkId: string,
  judged: readonly PathJudgement[],
  threshold: string,
  passMessage: string,
): CheckOutcome {
  if (judged.length === 0)
    return notTested(
      checkId,
      "not configured",
      "No path is listed for this endpoint.",
    );
  const worst =
    ORDER.find((verdict) => judged.some((j) => j.verdict === verdict)) ??
    "pass";
  const measured = judged.map((j) => j.measured).join("; ");
  if (worst === "pass")
    return outcome(checkId, "pass", passMessage, { measured, threshold });
  const messages = [
    ...new Set(judged.filter((j) => j.verdict === worst).map((j) => j.message)),
  ];
  const reason =
    worst === "not-tested"
      ? (judged.find((j) => j.verdict === worst)?.reason ?? "unreachable")
      : "";
  return outcome(checkId, worst, messages.join(" "), {
    measured,
    threshold,
    reason,
  });
}

function redirectTarget(exchange: HttpExchange): URL | null {
  const location = exchange.headers.location;
  if (location === undefined) return null;
  try {
    return new URL(location, exchange.url);
  } catch {
    return null;
  }
}

/** Where a redirect leads, as the probe follows it and the rules judge it. */
export type RedirectDestination =
  /** https on the endpoint itself (same name or address, same port), or on a host the policy allows. */
  | "follow"
  /** https on the same host but another port: not part of this endpoint, so never probed. */
  | "other-port"
  /** https on a host that is neither this one nor allowed by the policy. */
  | "other-host"
  /** not https. */
  | "plain";

/**
 * Classifies a redirect's URL against the endpoint (its address, server name and port) and the policy's
 * allowed hosts. Cellcert only ever connects where the plan says: the endpoint's own port, or a host the
 * policy names (on the port the redirect gives).
 */
export function redirectDestination(
  url: URL,
  endpoint: { host: string; serverName: string; port: number },
  allowedHosts: readonly string[],
): RedirectDestination {
  if (url.protocol !== "https:") return "plain";
  const port = url.port === "" ? 443 : Number(url.port);
  if (isEndpointHost(url, endpoint))
    return port === endpoint.port ? "follow" : "other-port";
  const host = bareHostname(url);
  return allowedHosts.some((allowed) => allowed.toLowerCase() === host)
    ? "follow"
    : "other-host";
}

const bareHostname = (url: URL): string =>
  url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();

/** Whether a URL names the endpoint's host, by its server name or the address connected to. */
function isEndpointHost(
  url: URL,
  endpoint: { host: string; serverName: string },
): boolean {
  const host = bareHostname(url);
  return [endpoint.serverName, endpoint.host].some(
    (name) => name.toLowerCase() === host,
  );
}

/**
 * A TLS refusal of a hop sent without SNI (an IP target without a server name) that says the server wants a name:
 * alert 112 or 40, or a reset (DESIGN §2: "needs a server name").
 */
function refusedForServerName(
  exchange: HttpExchange,
  evidence: HttpEvidence,
): PathJudgement | null {
  if (exchange.outcome !== "tls-refused") return null;
  let host: string;
  try {
    host = new URL(exchange.url).hostname.replace(/^\[(.*)\]$/, "$1");
  } catch {
    return null;
  }
  if (sendsServerName(host) || !isServerNameRefusal(exchange.tlsAlert ?? ""))
    return null;
  return {
    verdict: "not-tested",
    measured: "",
    message: needsServerNameMessage(
      formatHostPort(evidence.host, evidence.port),
    ),
    reason: NEEDS_SERVER_NAME,
  };
}

const HEADER_LIMIT = "header larger than Cellcert reads";

// ---- plain HTTP -----------------------------------------------------------------------------------------

function judgePlainPath(
  path: PathObservation,
  evidence: HttpEvidence,
): PathJudgement {
  const first = path.hops[0];
  const where = `http://…${path.path}`;
  if (first === undefined)
    return {
      verdict: "not-tested",
      measured: `${path.path} not tried`,
      message: "",
    };
  if (CLOSED.includes(first.outcome)) {
    return {
      verdict: "pass",
      measured: `${path.path} ${first.outcome}`,
      message: `${where} is closed (${first.outcome}).`,
    };
  }
  if (UNREACHABLE.includes(first.outcome)) {
    return {
      verdict: "not-tested",
      measured: `${path.path} ${first.outcome}`,
      message: first.error,
    };
  }
  if (first.outcome === "header-too-large" && first.status !== null) {
    // An HTTP answer all the same: its status line says what it is.
    const status = first.status;
    const measured = `${path.path} ${status}, ${HEADER_LIMIT}`;
    if ((status >= 200 && status <= 299) || status === 401)
      return {
        verdict: "fail",
        measured,
        message: `${where} ${status === 401 ? "asks for credentials" : "serves content"} over plain HTTP (${status}): ${first.error} Close port ${evidence.port} or redirect it to https.`,
      };
    return {
      verdict: "warn",
      measured,
      message: `${where} answers over plain HTTP, but where it leads cannot be told: ${first.error} Close port ${evidence.port} or redirect it to https with a small answer.`,
    };
  }
  if (first.outcome !== "answered" || first.status === null) {
    return {
      verdict: "warn",
      measured: `${path.path} ${first.outcome}`,
      message: `Port ${evidence.port} answers ${where} but not with HTTP (${first.error}); close it if nothing needs it.`,
    };
  }
  const status = first.status;
  if (status >= 300 && status <= 399) {
    const target = redirectTarget(first);
    if (target?.protocol === "https:" && isEndpointHost(target, evidence)) {
      return {
        verdict: "pass",
        measured: `${path.path} ${status} → https`,
        message: `${where} redirects to https on the same host.`,
      };
    }
    return {
      verdict: "fail",
      measured: `${path.path} ${status} → ${first.headers.location ?? "(no Location)"}`,
      message:
        target?.protocol === "https:"
          ? `${where} redirects to another host (${target.hostname}); redirect plain HTTP to https on ${evidence.serverName} itself.`
          : `${where} redirects, but not to https on the same host (${first.headers.location ?? "no Location"}); redirect it to https://${evidence.serverName}${path.path}.`,
    };
  }
  if (status >= 200 && status <= 299) {
    return {
      verdict: "fail",
      measured: `${path.path} ${status}, ${first.bodyBytes} bytes`,
      message: `${where} serves content over plain HTTP (${status}): close port ${evidence.port} or redirect it to https.`,
    };
  }
  if (status === 401) {
    return {
      verdict: "fail",
      measured: `${path.path} 401`,
      message: `${where} asks for credentials over plain HTTP (401), where they travel in clear: close port ${evidence.port} or redirect it to https.`,
    };
  }
  return {
    verdict: "warn",
    measured: `${path.path} ${status}`,
    message: `${where} answers ${status} over plain HTTP without serving the page; close port ${evidence.port} or redirect it to https.`,
  };
}

export function judgePlainHttp(
  checkId: string,
  evidence: HttpEvidence,
): CheckOutcome {
  return combine(
    checkId,
    evidence.paths.map((p) => judgePlainPath(p, evidence)),
    `plain HTTP closed, or redirecting to https on the same host; fails: ${THRESHOLDS.plainHttp.text.fail}; warns: ${THRESHOLDS.plainHttp.text.warn}`,
    `Plain HTTP on port ${evidence.port} serves nothing: ${evidence.paths.length === 1 ? "the path is" : "every path is"} closed or redirected to https.`,
  );
}

// ---- paths over HTTPS --------------------------------------------------------------------------------------

function judgeHttpsPath(
  path: PathObservation,
  evidence: HttpEvidence,
  allowedHosts: readonly string[],
): PathJudgement {
  const first = path.hops[0];
  const last = path.hops.at(-1);
  const where = `https://${evidence.serverName}${path.path}`;
  if (first === undefined || last === undefined)
    return {
      verdict: "not-tested",
      measured: `${path.path} not tried`,
      message: "",
    };
  const chain = path.hops
    .map((h) => (h.status === null ? h.outcome : String(h.status)))
    .join(" → ");
  const measured = `${path.path} ${chain}`;
  if (
    UNREACHABLE.includes(first.outcome) ||
    first.outcome === "refused" ||
    first.outcome === "filtered"
  ) {
    return { verdict: "not-tested", measured, message: first.error };
  }
  const nameNeeded = refusedForServerName(first, evidence);
  if (nameNeeded !== null) return { ...nameNeeded, measured };
  if (first.outcome === "tls-refused" && !evidence.clientIdentity) {
    return {
      verdict: "not-tested",
      measured,
      message: `${where} refused the TLS connection (${first.error}); if it needs a client certificate, give the endpoint the plan's client identity.`,
    };
  }
  if (last.outcome === "header-too-large") {
    return {
      verdict: "fail",
      measured,
      message: `${where}: ${last.error} Shrink what the site sends in its header (cookies above all).`,
    };
  }
  if (last.outcome !== "answered" || last.status === null) {
    return {
      verdict: "fail",
      measured,
      message: `${where} gave no answer over HTTPS: ${last.error}`,
    };
  }
  const status = last.status;
  if (status >= 300 && status <= 399) {
    const target = redirectTarget(last);
    if (target === null) return { verdict: "pass", measured, message: "" };
    switch (redirectDestination(target, evidence, allowedHosts)) {
      case "plain":
        return {
          verdict: "fail",
          measured,
          message: `${where} redirects to plain HTTP (${last.headers.location ?? ""}); keep the redirect on https.`,
        };
      case "other-host":
        return {
          verdict: "fail",
          measured,
          message: `${where} redirects to another host, ${target.hostname}; point it at ${evidence.serverName}, or allow that host in the plan's policy if it is meant.`,
        };
      case "other-port":
        return {
          verdict: "warn",
          measured,
          message: `${where} redirects to port ${target.port || 443} on the same host (${last.headers.location ?? ""}), which this endpoint does not cover, so Cellcert did not follow it; add that port as its own HTTPS endpoint to test what it serves.`,
        };
      case "follow":
        break;
    }
    return {
      verdict: "fail",
      measured,
      message: `${where} redirects more than 5 times (a loop?); fix the redirect.`,
    };
  }
  if ((status >= 200 && status <= 299) || status === 401 || status === 403)
    return { verdict: "pass", measured, message: "" };
  if (status === 404) {
    return {
      verdict: "fail",
      measured,
      message: `${where} answers 404: the virtual directory is missing or its HTTPS binding does not serve it.`,
    };
  }
  return {
    verdict: "fail",
    measured,
    message: `${where} answers ${status}${status >= 500 ? ": the application behind it fails" : ""}.`,
  };
}

export function judgeHttpsPaths(
  checkId: string,
  evidence: HttpEvidence,
  allowedHosts: readonly string[],
): CheckOutcome {
  return combine(
    checkId,
    evidence.paths.map((p) => judgeHttpsPath(p, evidence, allowedHosts)),
    "2xx, same-host 3xx, 401 or 403 over HTTPS; at most 5 redirects",
    `${evidence.paths.length === 1 ? "The path answers" : evidence.paths.length === 2 ? "Both paths answer" : `All ${evidence.paths.length} paths answer`} over HTTPS.`,
  );
}

// ---- HSTS ------------------------------------------------------------------------------------------------

/** One Strict-Transport-Security header as RFC 6797 §6.1 reads it. */
export type HstsHeader =
  | { valid: true; maxAge: number; includeSubDomains: boolean }
  | { valid: false; problem: string };

/**
 * Parses one Strict-Transport-Security value (RFC 6797 §6.1): directives separated by ";", each a name and an
 * optional value (token or quoted-string); every directive at most once, max-age required and a non-negative
 * integer (delta-seconds); unknown directives ignored. An invalid header is ignored by browsers.
 */
export function parseHsts(value: string): HstsHeader {
  const seen = new Map<string, string | null>();
  for (const part of splitDirectives(value)) {
    const text = part.trim();
    if (text === "") continue;
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*(.*))?$/.exec(text);
    if (match === null)
      return { valid: false, problem: `the directive "${text}" is malformed` };
    const name = (match[1] ?? "").toLowerCase();
    if (seen.has(name))
      return { valid: false, problem: `${name} is given twice` };
    let directiveValue = match[2] === undefined ? null : match[2].trim();
    if (directiveValue?.startsWith('"') === true) {
      if (!/^"(?:[^"\\]|\\.)*"$/.test(directiveValue))
        return { valid: false, problem: `the value of ${name} is malformed` };
      directiveValue = directiveValue.slice(1, -1).replace(/\\(.)/g, "$1");
    }
    seen.set(name, directiveValue);
  }
  if (!seen.has("max-age"))
    return { valid: false, problem: "max-age is missing" };
  const maxAge = seen.get("max-age") ?? null;
  if (maxAge === null || !/^\d+$/.test(maxAge))
    return {
      valid: false,
      problem: `max-age is not a non-negative integer (${maxAge === null ? "no value" : `"${maxAge}"`})`,
    };
  return {
    valid: true,
    maxAge: Number(maxAge),
    includeSubDomains: seen.has("includesubdomains"),
  };
}

/** Splits at ";" outside quoted strings. */
function splitDirectives(value: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const character = value[i] ?? "";
    if (quoted && character === "\\") {
      current += character + (value[i + 1] ?? "");
      i++;
      continue;
    }
    if (character === '"') quoted = !quoted;
    if (character === ";" && !quoted) {
      parts.push(current);
      current = "";
    } else current += character;
  }
  parts.push(current);
  return parts;
}

/** The answer a path ends with on the endpoint's own host: redirects on the same host followed, no further. */
function finalSameHostAnswer(
  path: PathObservation,
  evidence: HttpEvidence,
): HttpExchange | undefined {
  let final: HttpExchange | undefined;
  for (const hop of path.hops) {
    let url: URL;
    try {
      url = new URL(hop.url);
    } catch {
      break;
    }
    if (!isEndpointHost(url, evidence)) break;
    final = hop;
  }
  return final;
}

interface HstsPath {
  judgement: PathJudgement;
  /** The header's days, where one counted. */
  days: number | null;
}

function judgeHstsPath(
  path: PathObservation,
  evidence: HttpEvidence,
): HstsPath {
  const final = finalSameHostAnswer(path, evidence);
  const first = path.hops[0];
  const nameNeeded =
    first === undefined ? null : refusedForServerName(first, evidence);
  if (nameNeeded !== null)
    return {
      judgement: {
        ...nameNeeded,
        measured: `${path.path} ${first?.outcome ?? ""}`,
      },
      days: null,
    };
  if (final?.outcome !== "answered")
    return {
      judgement: {
        verdict: "not-tested",
        measured: `${path.path} ${final?.outcome ?? "not tried"}`,
        message: `No HTTPS answer for ${path.path} to read the Strict-Transport-Security header from${final === undefined || final.error === "" ? "" : ` (${final.error})`}.`,
      },
      days: null,
    };
  const values =
    final.hsts ??
    (final.headers["strict-transport-security"] === undefined
      ? []
      : [final.headers["strict-transport-security"]]);
  if (values.length === 0)
    return {
      judgement: {
        verdict: "warn",
        measured: "no header",
        message: `${final.url} sends no Strict-Transport-Security header: browsers may still try plain HTTP first. Add it with max-age=31536000.`,
      },
      days: null,
    };
  const headers = values.map((value) => ({ value, header: parseHsts(value) }));
  // RFC 6797 §8.1: the first valid header of an answer counts.
  const counted = headers.find((h) => h.header.valid);
  if (counted === undefined || !counted.header.valid) {
    const problem = headers[0]?.header;
    const why = problem !== undefined && !problem.valid ? problem.problem : "";
    return {
      judgement: {
        verdict: "warn",
        measured: `invalid: ${values[0] ?? ""}`,
        message: `${final.url} sends ${values.length === 1 ? "a Strict-Transport-Security header" : `${values.length} Strict-Transport-Security headers`} that browsers ignore as invalid (${why}): send one header, max-age=31536000 with each directive once.`,
      },
      days: null,
    };
  }
  const maxAge = counted.header.maxAge;
  const days = Math.floor(maxAge / 86_400);
  if (maxAge < HSTS_MIN_MAX_AGE)
    return {
      judgement: {
        verdict: "warn",
        measured: counted.value,
        message: `${final.url}: Strict-Transport-Security max-age is ${maxAge} s (${days} days), below ${HSTS_MIN_DAYS} days; raise it to 31536000.`,
      },
      days,
    };
  return {
    judgement: { verdict: "pass", measured: counted.value, message: "" },
    days,
  };
}

/**
 * ENT-PER.http.hsts (DESIGN §3): every listed path's final answer after same-host redirects, the worst path
 * deciding whatever the order of the paths; each answer's first valid header counts.
 */
export function judgeHsts(
  checkId: string,
  evidence: HttpEvidence,
): CheckOutcome {
  const threshold = `Strict-Transport-Security with max-age ≥ ${HSTS_MIN_MAX_AGE} s (${HSTS_MIN_DAYS} days) on every path's final answer; warns: ${THRESHOLDS.hsts.text.warn}`;
  const judged = evidence.paths.map((p) => judgeHstsPath(p, evidence));
  const single = evidence.paths.length === 1;
  const named = judged.map((j, i) => ({
    ...j.judgement,
    measured: single
      ? j.judgement.measured
      : `${evidence.paths[i]?.path ?? ""} ${j.judgement.measured}`,
  }));
  const days = judged.flatMap((j) => (j.days === null ? [] : [j.days]));
  const least = days.length === judged.length ? Math.min(...days) : null;
  const result = combine(
    checkId,
    named,
    threshold,
    `HSTS is set for ${least ?? 0} days${single ? "" : ` on every path (${evidence.paths.map((p) => p.path).join(", ")})`}.`,
  );
  return result.verdict === "pass" && least !== null
    ? { ...result, headroom: `${least - HSTS_MIN_DAYS} days above the minimum` }
    : result;
}
