// Asking a plant's time-stamping authority (RFC 3161 over HTTP, §3.4) for the signature time-stamp of PAdES
// B-T: one POST to exactly the URL named (no redirect followed, nothing else contacted), bounded in time and
// size, and the answer checked in full (timestamp-token.ts). Whatever goes wrong is a sentence naming the TSA:
// a certificate promised with a trusted time is not issued without one (DESIGN §2).
//
// Plain http:// only. The request carries nothing but a hash, and everything the token is trusted for is
// checked on the token itself — its signature, its certificate's timeStamping usage, the imprint and the
// nonce — so TLS would add no trust; it would add trust decisions of its own (which CA, which name) that could
// only make signing fail. Plant TSAs speak HTTP, as RFC 3161 §3.4 describes.
import { randomBytes, type X509Certificate } from "node:crypto";
import { request, type IncomingMessage } from "node:http";
import { UserError, errorCode } from "../errors";
import {
  MAX_TIME_STAMP_REPLY_BYTES,
  TimeStampTokenError,
  checkTimeStampToken,
  readTimeStampReply,
  signatureImprint,
  timeStampRequest,
  type TimeStampTokenReading,
} from "./timestamp-token";
import { DerError } from "./der";
import { timeStampAuthorityUrlProblem } from "../../../shared/model/plan";

export interface TimeStampAuthority {
  /** http://host[:port]/path, as the plan or --tsa names it. */
  url: string;
  /** The practice plant's TSA (DESIGN §9): every sentence says PRACTICE. */
  practice: boolean;
}

export interface TimeStamp extends TimeStampTokenReading {
  /** The TimeStampToken (a CMS ContentInfo), as the TSA sent it. */
  token: Uint8Array;
  authority: TimeStampAuthority;
}

export interface TimeStampOptions {
  /** The whole exchange — connect, ask, answer — within this (the plan's policy.timeoutMs). */
  timeoutMs: number;
  now: () => Date;
  /** The engineer's certificate: the time-stamp's time must lie in its validity. */
  signerCertificate: X509Certificate;
}

/** "the time-stamping authority http://tsa.plant.local/tsr" or "the PRACTICE time-stamping authority http://…". */
export function authorityName(authority: TimeStampAuthority): string {
  return `the ${authority.practice ? "PRACTICE " : ""}time-stamping authority ${authority.url}`;
}

/** The RFC 3161 signature time-stamp of `signatureValue`; throws UserError with a sentence when there is none. */
export async function requestTimeStamp(
  authority: TimeStampAuthority,
  signatureValue: Uint8Array,
  options: TimeStampOptions,
): Promise<TimeStamp> {
  const refuse = (problem: string, advice: string, cause?: unknown) =>
    new UserError(
      "unavailable",
      `No certificate was issued: ${authorityName(authority)} ${problem}. A certificate promised with a trusted time-stamp is not issued without one; ${advice}`,
      cause === undefined ? undefined : { cause },
    );
  const urlProblem = timeStampAuthorityUrlProblem(authority.url);
  if (urlProblem !== null)
    throw refuse(`cannot be asked (${urlProblem})`, FIX_URL);

  const imprint = signatureImprint(signatureValue);
  const nonce = randomBytes(8);
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x40;
  const asked = options.now();
  let reply: Uint8Array;
  try {
    reply = await post(
      authority.url,
      timeStampRequest(imprint, nonce),
      options.timeoutMs,
    );
  } catch (error) {
    if (error instanceof ExchangeError)
      throw refuse(error.problem, error.advice, error.cause);
    throw error;
  }

  let token: Uint8Array;
  try {
    const read = readTimeStampReply(reply);
    if (!read.granted)
      throw refuse(`refused to time-stamp (${read.refusal})`, ASK_OPERATOR);
    token = read.token;
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
    throw refuse(
      `answered with something that is not a time-stamp reply (${error.message})`,
      ASK_OPERATOR,
      error,
    );
  }
  try {
    const reading = checkTimeStampToken(token, {
      imprint,
      nonce,
      now: asked,
      signerCertificate: options.signerCertificate,
    });
    return { ...reading, token, authority };
  } catch (error) {
    if (!(error instanceof TimeStampTokenError)) throw error;
    throw refuse(`answered with a time-stamp ${error.message}`, ASK_OPERATOR);
  }
}

const FIX_URL =
  "name the TSA as http://host[:port]/path in --tsa or in the plan's time-stamping authority.";
const CHECK_REACH =
  "check that the TSA runs and that this laptop reaches it from where it stands, then sign again.";
const ASK_OPERATOR =
  "whoever runs the TSA can tell why it answers so; sign again once it answers as RFC 3161 says.";

class ExchangeError extends Error {
  constructor(
    readonly problem: string,
    readonly advice: string,
    options?: { cause?: unknown },
  ) {
    super(problem, options);
  }
}

/** One POST of application/timestamp-query; the body of a 200 answer, at most MAX_TIME_STAMP_REPLY_BYTES. */
function post(
  url: string,
  body: Uint8Array,
  timeoutMs: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const seconds = `${timeoutMs / 1000} s`;
    let settled = false;
    const finish = (outcome: Uint8Array | ExchangeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof ExchangeError) {
        sent.destroy();
        reject(outcome);
      } else resolve(outcome);
    };
    const sent = request(url, {
      method: "POST",
      agent: false,
      headers: {
        "Content-Type": "application/timestamp-query",
        Accept: "application/timestamp-reply",
        "Content-Length": body.length,
        Connection: "close",
      },
    });
    const timer = setTimeout(
      () =>
        finish(
          new ExchangeError(
            `did not answer within ${seconds} (the plan's timeout per connection)`,
            CHECK_REACH,
          ),
        ),
      timeoutMs,
    );
    sent.on("error", (error) => finish(connectError(error, seconds)));
    sent.on("response", (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        const location = response.headers.location ?? "nowhere";
        finish(
          new ExchangeError(
            `answered with a redirect (HTTP ${status}) to ${location.slice(0, 300)}, and Cellcert contacts only the URL it was given`,
            FIX_URL,
          ),
        );
        return;
      }
      if (status !== 200) {
        finish(
          new ExchangeError(
            `answered HTTP ${status}${response.statusMessage ? ` (${response.statusMessage.slice(0, 100)})` : ""} instead of a time-stamp`,
            ASK_OPERATOR,
          ),
        );
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_TIME_STAMP_REPLY_BYTES) {
          finish(
            new ExchangeError(
              `answered more than ${MAX_TIME_STAMP_REPLY_BYTES / 1024} KiB, far more than any time-stamp`,
              ASK_OPERATOR,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      response.on("error", (error) => finish(connectError(error, seconds)));
      response.on("end", () => finish(new Uint8Array(Buffer.concat(chunks))));
    });
    sent.end(body);
  });
}

function connectError(error: unknown, seconds: string): ExchangeError {
  const code = errorCode(error);
  const problem =
    code === "ECONNREFUSED"
      ? "refused the connection (nothing listens there)"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "has a host name this laptop cannot resolve"
        : code === "ECONNRESET" || code === "EPIPE"
          ? "closed the connection before it answered"
          : code === "EHOSTUNREACH" || code === "ENETUNREACH"
            ? "cannot be reached from this laptop's networks"
            : code === "ETIMEDOUT"
              ? `did not answer within ${seconds}`
              : `could not be asked (${error instanceof Error ? error.message : String(error)})`;
  return new ExchangeError(problem, CHECK_REACH, { cause: error });
}
