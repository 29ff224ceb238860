// ENT-PER.http.hsts over HTTP evidence: the Strict-Transport-Security header each path's final answer on the
// endpoint's own host sends, read as RFC 6797 §6.1 does; a max-age below 180 days warns (DESIGN §3).
import type {
  HttpEvidence,
  HttpExchange,
  PathObservation,
} from "../../../shared/evidence/web";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import { THRESHOLDS } from "../../../shared/catalog/thresholds";
import { isEndpointHost } from "../../../shared/model/redirect";
import {
  combine,
  refusedForServerName,
  type PathJudgement,
} from "./http-judgement";

/** DESIGN §3: HSTS max-age below 180 days warns. */
const HSTS_MIN_MAX_AGE = THRESHOLDS.hsts.minimumMaxAgeSeconds;
const HSTS_MIN_DAYS = HSTS_MIN_MAX_AGE / 86_400;

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
