// Hostile certificate PDFs, as an attacker makes them from a real practice certificate: payloads put into the
// document before it is signed (so the signature over them is valid and the verifier reads them all), and an
// evidence stream swapped for a deflate bomb. For the verifier's tests, its fuzz test and `npm run bench:verify`.
import { constants, deflateRawSync } from "node:zlib";
import type { CreatedIdentity } from "../../electron/engine/identity/create";
import { prepareCertificate } from "../../electron/engine/report/issue";
import { signPreparedPdf } from "../../electron/engine/signing/sign";
import { SIGNING_TIME, testPki } from "./certificate-identities";
import { fixturePlan } from "./certificate-plans";

export interface PracticeCertificate {
  /** The document as laid out, with the signature placeholder, before signing. */
  prepared: Uint8Array;
  /** The same, signed. */
  signed: Uint8Array;
  engineer: CreatedIdentity;
  caPem: string;
  /** The commissioning CA that issued the engineer (and may issue a TSA). */
  ca: CreatedIdentity;
}

/** A practice certificate of the good fixture plant, as `certify` writes it (about 200 KiB). */
export async function practiceCertificate(): Promise<PracticeCertificate> {
  const { ca, engineer } = await testPki();
  const plan = await fixturePlan("good", { practice: true });
  const { prepared } = await prepareCertificate(plan, engineer, {
    now: SIGNING_TIME,
  });
  return {
    prepared,
    signed: signPreparedPdf(prepared, engineer),
    engineer,
    caPem: ca.certificatePem,
    ca,
  };
}

const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
    "latin1",
  );

/** The prepared document with `payload` inserted before its cross-reference table, then signed. */
export function signedWithPayload(
  certificate: PracticeCertificate,
  payload: Uint8Array,
): Uint8Array {
  const prepared = Buffer.from(certificate.prepared);
  const at = latin1(prepared).lastIndexOf("\nxref\n") + 1;
  return signPreparedPdf(
    Buffer.concat([prepared.subarray(0, at), payload, prepared.subarray(at)]),
    certificate.engineer,
  );
}

/** The prepared document with its embedded evidence file's stream replaced by `stream` (still FlateDecode), signed. */
export function signedWithEvidenceStream(
  certificate: PracticeCertificate,
  stream: Uint8Array,
): Uint8Array {
  const text = latin1(certificate.prepared);
  const object = /\/Type \/EmbeddedFile\b[^]*?\/Length (\d+)[^]*?stream\n/.exec(
    text,
  );
  if (object === null)
    throw new Error("The practice certificate has no embedded evidence file.");
  const lengthAt = object.index + object[0].lastIndexOf("/Length ");
  const dataAt = object.index + object[0].length;
  const oldLength = Number(object[1]);
  const prepared = Buffer.from(certificate.prepared);
  return signPreparedPdf(
    Buffer.concat([
      prepared.subarray(0, lengthAt),
      Buffer.from(
        latin1(prepared.subarray(lengthAt, dataAt)).replace(
          `/Length ${oldLength}`,
          `/Length ${stream.length}`,
        ),
        "latin1",
      ),
      stream,
      prepared.subarray(dataAt + oldLength),
    ]),
    certificate.engineer,
  );
}

const MiB = 1024 * 1024;
let zerosMiB: Buffer | undefined;

/** A zlib stream that inflates to `inflatedMiB` MiB of zeros at about 1000:1, made without holding them: one
 * MiB deflated with a sync flush, repeated (its back-references only ever reach zeros), then a final block. */
export function deflateBomb(inflatedMiB: number): Buffer {
  zerosMiB ??= deflateRawSync(Buffer.alloc(MiB), {
    level: 9,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  const size = inflatedMiB * MiB;
  const adler32 = Buffer.alloc(4);
  adler32.writeUInt32BE((((size % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array<Buffer>(inflatedMiB).fill(zerosMiB),
    Buffer.from([0x03, 0x00]), // an empty final block
    adler32,
  ]);
}

/** How many MiB a bomb of about `compressedBytes` inflates to. */
export function bombMiBFor(compressedBytes: number): number {
  deflateBomb(1);
  return Math.max(1, Math.floor(compressedBytes / (zerosMiB?.length ?? 1)));
}

const repeated = (unit: string, bytes: number): Buffer =>
  Buffer.from(
    unit.repeat(Math.max(1, Math.ceil(bytes / unit.length))),
    "latin1",
  );

/** Payloads of about `bytes` bytes that once made the reader re-scan the rest of the file from every object. */
export const payloads = {
  /** Objects whose literal string never closes. */
  unterminatedLiterals: (bytes: number) => repeated("1 0 obj\n(", bytes),
  /** Objects whose hex string never closes. */
  unterminatedHex: (bytes: number) => repeated("1 0 obj\n<", bytes),
  /** One long run of digits, where an object header "N G obj" is looked for. */
  digitRun: (bytes: number) => repeated("1", bytes),
  /** Object headers and nothing else. */
  bareHeaders: (bytes: number) => repeated("1 0 obj ", bytes),
  /** One object nested as deep as its bytes allow. */
  deepArrays: (bytes: number) =>
    Buffer.concat([Buffer.from("9 0 obj\n"), repeated("[", bytes)]),
  deepDictionaries: (bytes: number) =>
    Buffer.concat([Buffer.from("9 0 obj\n"), repeated("<< /A ", bytes)]),
  /** One object holding as many tiny strings as its bytes allow. */
  manyStrings: (bytes: number) =>
    Buffer.concat([
      Buffer.from("9 0 obj\n["),
      repeated("()", bytes),
      Buffer.from("]\nendobj\n"),
    ]),
  /** As many small objects as the bytes allow. */
  manyObjects: (bytes: number) => {
    const lines: string[] = [];
    let size = 0;
    for (let n = 1000; size < bytes; n++) {
      const line = `${n} 0 obj\n<< /K ${n} >>\nendobj\n`;
      lines.push(line);
      size += line.length;
    }
    return Buffer.from(lines.join(""), "latin1");
  },
  /** Stream objects that declare a huge /Length and never end. */
  hugeLengths: (bytes: number) =>
    repeated("1 0 obj\n<< /Length 99999999999 >>\nstream\n", bytes),
} as const satisfies Record<string, (bytes: number) => Buffer>;

export type PayloadName = keyof typeof payloads;
