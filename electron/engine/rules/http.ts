// The web checks (DESIGN §3, §4) as pure functions over HTTP evidence: plain HTTP (ENT-PER.http.plain,
// IIS-BIND.vdir.plain), paths over HTTPS (IIS-BIND.vdir.https) and HSTS (ENT-PER.http.hsts).
// HSTS lives in http-hsts.ts, what the checks share in http-judgement.ts.
import type {
  HttpEvidence,
  HttpExchange,
  PathObservation,
} from "../../../shared/evidence/web";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import { THRESHOLDS } from "../../../shared/catalog/thresholds";
import { webAddress } from "../../../shared/model/net";
import {
  isEndpointHost,
  redirectDestination,
} from "../../../shared/model/redirect";
import {
  combine,
  refusedForServerName,
  type PathJudgement,
} from "./http-judgement";

export { judgeHsts, parseHsts, type HstsHeader } from "./http-hsts";

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

function redirectTarget(exchange: HttpExchange): URL | null {
  const location = exchange.headers.location;
  if (location === undefined) return null;
  try {
    return new URL(location, exchange.url);
  } catch {
    return null;
  }
}

const HEADER_LIMIT = "header larger than Cellcert reads";

// ---- plain HTTP -----------------------------------------------------------------------------------------

function judgePlainPath(
  path: PathObservation,
  evidence: HttpEvidence,
): PathJudgement {
  const first = path.hops[0];
  const where = webAddress(
    "http",
    evidence.serverName,
    evidence.port,
    path.path,
  );
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
          : `${where} redirects, but not to https on the same host (${first.headers.location ?? "no Location"}); redirect it to ${webAddress("https", evidence.serverName, 443, path.path)}.`,
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
  const where = webAddress(
    "https",
    evidence.serverName,
    evidence.port,
    path.path,
  );
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
