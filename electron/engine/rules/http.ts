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

/** DESIGN §3: HSTS max-age below 180 days warns. */
const HSTS_MIN_MAX_AGE = THRESHOLDS.hsts.minimumMaxAgeSeconds;
const HSTS_MIN_DAYS = HSTS_MIN_MAX_AGE / 86_400;

interface PathJudgement {
  verdict: MeasuredVerdict;
  /** "/Opcenter 302 → https" */
  measured: string;
  /** The sentence for this path. */
  message: string;
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
  const messages = judged
    .filter((j) => j.verdict === worst)
    .map((j) => j.message);
  const reason = worst === "not-tested" ? "unreachable" : "";
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
    "plain HTTP closed, or redirecting to https on the same host",
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
  if (first.outcome === "tls-refused" && !evidence.clientIdentity) {
    return {
      verdict: "not-tested",
      measured,
      message: `${where} refused the TLS connection (${first.error}); if it needs a client certificate, give the endpoint the plan's client identity.`,
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

/** max-age of a Strict-Transport-Security value, or null when it has none. */
export function hstsMaxAge(value: string): number | null {
  const match = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(value);
  return match === null ? null : Number(match[1]);
}

export function judgeHsts(
  checkId: string,
  evidence: HttpEvidence,
): CheckOutcome {
  const answered = evidence.paths
    .flatMap((p) => p.hops)
    .find((h) => h.outcome === "answered");
  const threshold = `Strict-Transport-Security with max-age ≥ ${HSTS_MIN_MAX_AGE} s (${HSTS_MIN_DAYS} days)`;
  if (answered === undefined)
    return notTested(
      checkId,
      "unreachable",
      "No HTTPS answer to read the Strict-Transport-Security header from.",
    );
  const header = answered.headers["strict-transport-security"];
  if (header === undefined) {
    return outcome(
      checkId,
      "warn",
      `${answered.url} sends no Strict-Transport-Security header: browsers may still try plain HTTP first. Add it with max-age=31536000.`,
      { measured: "no header", threshold },
    );
  }
  const maxAge = hstsMaxAge(header);
  const days = maxAge === null ? 0 : Math.floor(maxAge / 86_400);
  if (maxAge === null || maxAge < HSTS_MIN_MAX_AGE) {
    return outcome(
      checkId,
      "warn",
      `Strict-Transport-Security max-age is ${maxAge ?? "missing"}${maxAge === null ? "" : ` s (${days} days)`}, below ${HSTS_MIN_DAYS} days; raise it to 31536000.`,
      { measured: header, threshold },
    );
  }
  return outcome(checkId, "pass", `HSTS is set for ${days} days.`, {
    measured: header,
    threshold,
    headroom: `${days - HSTS_MIN_DAYS} days above the minimum`,
  });
}
