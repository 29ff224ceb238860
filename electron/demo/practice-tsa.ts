// The practice plant's time-stamping authority (DESIGN §9): RFC 3161 over HTTP on a loopback address, signing
// with a PRACTICE certificate issued under the practice engineer CA (so practice-engineer-ca.pem checks both).
// The tests and the benchmark start it too, with other identities and with the faults a TSA can have.
import { randomBytes } from "node:crypto";
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { IdentityMaterial } from "../engine/identity/pkcs12";
import { oidDer, signCms, tlv } from "../engine/signing/cms";
import {
  TAG,
  child,
  contents,
  isUniversal,
  readDer,
  readOid,
  whole,
} from "../engine/signing/der";
import { OID } from "../engine/signing/oids";

/** The practice TSA's policy: an OID under the arc RFC 5612 sets aside for documentation. */
export const PRACTICE_TSA_POLICY = "1.3.6.1.4.1.32473.1.3161";

/** What a faulty TSA does instead of answering right (tests). */
export type TsaFault =
  | "none"
  /** PKIStatus rejection with failInfo badRequest. */
  | "reject"
  /** A token over another imprint. */
  | "wrong-imprint"
  /** A token for another nonce. */
  | "wrong-nonce"
  /** A token without certificates, though certReq asked for them. */
  | "no-certificate"
  /** genTime a week ahead. */
  | "wrong-clock";

export interface TimeStampAuthorityOptions {
  address: string;
  /** 0: any free port. */
  port: number;
  /** The TSA's certificate and key (and its issuers, which go into the token too). */
  identity: IdentityMaterial;
  policy?: string;
  fault?: TsaFault;
  now?: () => Date;
}

export interface RunningTimeStampAuthority {
  url: string;
  /** Requests answered, for tests that count what was asked. */
  readonly requests: number;
  close(): Promise<void>;
}

/** A request larger than this is no TimeStampReq. */
const MAX_REQUEST_BYTES = 8 * 1024;

export async function startTimeStampAuthority(
  options: TimeStampAuthorityOptions,
): Promise<RunningTimeStampAuthority> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    // A client that goes away mid-request is no concern of the TSA's.
    answer(request, response, options).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.address, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.address.includes(":")
    ? `[${options.address}]`
    : options.address;
  return {
    url: `http://${host}:${port}/`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  options: TimeStampAuthorityOptions,
): Promise<void> {
  if (request.method !== "POST") {
    response.writeHead(405, { Allow: "POST" }).end();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      response.writeHead(413).end();
      request.destroy();
      return;
    }
    chunks.push(chunk);
  }
  const reply = timeStampReply(Buffer.concat(chunks), options);
  response
    .writeHead(200, {
      "Content-Type": "application/timestamp-reply",
      "Content-Length": reply.length,
    })
    .end(reply);
}

/** The TimeStampResp to a TimeStampReq: a granted token, or a rejection saying why. */
export function timeStampReply(
  query: Uint8Array,
  options: Pick<
    TimeStampAuthorityOptions,
    "identity" | "policy" | "fault" | "now"
  >,
): Uint8Array {
  const fault = options.fault ?? "none";
  let parsed: ParsedRequest;
  try {
    parsed = readRequest(query);
  } catch {
    return rejection("The request is not a TimeStampReq.", 2);
  }
  if (fault === "reject")
    return rejection("PRACTICE: this time-stamping authority refuses.", 2);
  const imprint = Buffer.from(parsed.messageImprintDer);
  if (fault === "wrong-imprint")
    imprint.writeUInt8((imprint.at(-1) ?? 0) ^ 0xff, imprint.length - 1);
  const nonce =
    parsed.nonce === null
      ? null
      : fault === "wrong-nonce"
        ? Buffer.concat([parsed.nonce, Buffer.from([1])])
        : parsed.nonce;
  const now = options.now?.() ?? new Date();
  const genTime =
    fault === "wrong-clock" ? new Date(now.getTime() + 7 * 86_400_000) : now;
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  const tstInfo = tlv(
    0x30,
    tlv(0x02, Buffer.from([1])),
    oidDer(options.policy ?? PRACTICE_TSA_POLICY),
    imprint,
    tlv(0x02, serial),
    tlv(0x18, Buffer.from(generalizedTime(genTime), "latin1")),
    // accuracy: one second
    tlv(0x30, tlv(0x02, Buffer.from([1]))),
    ...(nonce === null ? [] : [tlv(0x02, nonce)]),
  );
  const token = signCms(new Uint8Array(), options.identity, {
    encapsulated: { contentType: OID.tstInfo, der: tstInfo },
    omitCertificates: !parsed.certReq || fault === "no-certificate",
  }).encode();
  return tlv(0x30, tlv(0x30, tlv(0x02, Buffer.from([0]))), token);
}

interface ParsedRequest {
  /** The MessageImprint SEQUENCE, copied into the TSTInfo as it came. */
  messageImprintDer: Uint8Array;
  nonce: Buffer | null;
  certReq: boolean;
}

function readRequest(query: Uint8Array): ParsedRequest {
  const request = readDer(query);
  const [version, imprint, ...rest] = request.children;
  if (!isUniversal(request, TAG.sequence) || !isUniversal(version, TAG.integer))
    throw new Error("not a TimeStampReq");
  const algorithm = readOid(query, child(child(imprint, 0), 0));
  const hashed = child(imprint, 1);
  const lengths: Record<string, number> = {
    [OID.sha256]: 32,
    "2.16.840.1.101.3.4.2.2": 48,
    "2.16.840.1.101.3.4.2.3": 64,
  };
  if (
    imprint === undefined ||
    !isUniversal(hashed, TAG.octetString) ||
    contents(query, hashed).length !== lengths[algorithm]
  )
    throw new Error("no SHA-2 message imprint");
  const nonce = rest.find((node) => isUniversal(node, TAG.integer));
  const certReq = rest.find((node) => node.tagClass === 0 && node.tag === 1);
  return {
    messageImprintDer: whole(query, imprint),
    nonce: nonce === undefined ? null : Buffer.from(contents(query, nonce)),
    certReq: certReq !== undefined && contents(query, certReq)[0] === 0xff,
  };
}

/** A TimeStampResp without a token: status rejection, a sentence, and failInfo (2 = badRequest). */
function rejection(text: string, failBit: number): Uint8Array {
  const bits = Buffer.alloc((failBit >> 3) + 1);
  bits[failBit >> 3] = 0x80 >> (failBit & 7);
  const unused = 7 - (failBit & 7);
  return tlv(
    0x30,
    tlv(
      0x30,
      tlv(0x02, Buffer.from([2])),
      tlv(0x30, tlv(0x0c, Buffer.from(text, "utf8"))),
      tlv(0x03, Buffer.from([unused]), bits),
    ),
  );
}

function generalizedTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:T]/g, "")}Z`;
}
