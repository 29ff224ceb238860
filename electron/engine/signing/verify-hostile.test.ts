// `verify` of hostile documents made from a real practice certificate: the attacks that once stalled the reader
// for minutes or took gigabytes (at the sizes they were reported at), trees that loop, and a fuzz test of
// mutated certificates and of mutated time-stamp tokens in a signature's unsigned attributes. Whatever the bytes, the answer is a verdict with a sentence per check, or "not a PDF".
// How fast and how small is `npm run bench:verify`'s business; here every case only has to end, under a
// generous safety timeout. Quick by default; CELLCERT_THOROUGH=1 runs the fuzz test 15 times longer.
import fc from "fast-check";
import { deflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_UPLOAD_BASE64 } from "../../../shared/contract/documents";
import {
  deflateBomb,
  payloads,
  practiceCertificate,
  signedWithEvidenceStream,
  signedWithPayload,
  type PracticeCertificate,
} from "../../../test/support/hostile-pdfs";
import {
  IDENTITY_MADE,
  SIGNING_TIME,
} from "../../../test/support/certificate-identities";
import { fixturePlan } from "../../../test/support/certificate-plans";
import {
  preparedForTimeStamp,
  signedWithToken,
  timeStampToken,
} from "../../../test/support/time-stamped";
import { createTimeStampingIdentity } from "../identity/create";
import { PdfFile, PdfRef } from "./pdf-objects";
import { findSignatureHole, signPreparedPdf } from "./sign";
import {
  MAX_CERTIFICATE_BYTES,
  UnreadableDocumentError,
  verifyCertificate,
  verifyCheckIds,
  type VerifyResult,
} from "./verify";

const THOROUGH = process.env.CELLCERT_THOROUGH === "1";
const STAMPED = new Date(SIGNING_TIME.getTime() + 2000);
const KB = 1000;

let certificate: PracticeCertificate;
beforeAll(async () => {
  certificate = await practiceCertificate();
}, 60_000);

const verify = (pdf: Uint8Array): Promise<VerifyResult> =>
  verifyCertificate(pdf, { caPems: [certificate.caPem] });
const failures = (result: VerifyResult): [string, string][] =>
  result.checks
    .filter((c) => c.outcome === "fail")
    .map((c) => [c.id, c.message]);

it("takes documents up to browser mode's upload limit, as the benchmark measures them", () => {
  expect(MAX_CERTIFICATE_BYTES).toBe((MAX_UPLOAD_BASE64 / 4) * 3);
});

describe("verify of the attacks, at the sizes they were reported at", () => {
  const signedJunk: [string, () => Uint8Array][] = [
    [
      "unterminated literal strings, 360 KB",
      () =>
        signedWithPayload(certificate, payloads.unterminatedLiterals(360 * KB)),
    ],
    [
      "unterminated hex strings, 90 KB",
      () => signedWithPayload(certificate, payloads.unterminatedHex(90 * KB)),
    ],
    [
      "a digit run, 150 KB",
      () => signedWithPayload(certificate, payloads.digitRun(150 * KB)),
    ],
  ];
  it.each(signedJunk)(
    "%s signed into the certificate: read past, and the certificate judged as it is",
    async (_name, make) => {
      const result = await verify(make());
      expect(failures(result)).toEqual([]);
      expect(result.certificateNumber).toBe("GYOR-BODY-SHOP-20260302-1");
      expect(result.trusted).toBe(true);
    },
  );

  it.each([
    ["1.27 MB, 1.2 GiB inflated", 1224],
    ["4.2 MB, just under the 4 GiB a Buffer holds", 4000],
  ])(
    "a deflate bomb as the evidence (%s): stopped at 16 MiB, and said so",
    async (_name, inflatedMiB) => {
      const result = await verify(
        signedWithEvidenceStream(certificate, deflateBomb(inflatedMiB)),
      );
      expect(failures(result)).toEqual([
        [
          "evidence",
          "The evidence file cellcert-evidence.json (object 6) inflates to more than 16 MiB, more than Cellcert reads of one stream.",
        ],
      ]);
    },
  );

  it.each([
    [
      "more objects than the reader takes",
      payloads.manyObjects(4_000 * KB),
      "The document holds more than 100,000 objects; Cellcert read no further. Cellcert judges the evidence only on the whole signed document.",
    ],
    [
      "more values than the reader takes",
      payloads.manyStrings(1_100 * KB),
      "The document holds more than 500,000 values; Cellcert read no further. Cellcert judges the evidence only on the whole signed document.",
    ],
  ])(
    "%s, signed into the certificate: not judged valid on the part that was read",
    async (_name, payload, message) => {
      expect(
        failures(await verify(signedWithPayload(certificate, payload))),
      ).toEqual([["evidence", message]]);
    },
  );

  it("says so when no signature was found before the reader stopped", async () => {
    const pdf = Buffer.concat([
      Buffer.from("%PDF-1.7\n"),
      payloads.manyObjects(4_000 * KB),
    ]);
    expect(failures(await verify(pdf))).toEqual([
      [
        "signature-field",
        "No signature was found in what Cellcert read of the document: it is not a signed Cellcert certificate. The document holds more than 100,000 objects; Cellcert read no further.",
      ],
    ]);
  });

  it("walks a signature field tree and a name tree whose kids repeat and loop once each", async () => {
    const text = Buffer.from(certificate.prepared).toString("latin1");
    const form = /(\d+) 0 obj\n<<\n\/Fields \[(\d+) 0 R\]/.exec(text);
    const names = /(\d+) 0 obj\n<<\n\/Dests/.exec(text);
    if (form === null || names === null)
      throw new Error("The practice certificate has no AcroForm or names.");
    const loop = Array<string>(2000).fill("900 0 R").join(" ");
    const payload = Buffer.from(
      `${form[1]} 0 obj\n<< /Fields [900 0 R] /SigFlags 3 >>\nendobj\n` +
        `900 0 obj\n<< /Kids [${loop} ${form[2]} 0 R] >>\nendobj\n` +
        `${names[1]} 0 obj\n<< /EmbeddedFiles 901 0 R >>\nendobj\n` +
        `901 0 obj\n<< /Kids [${loop.replaceAll("900", "901")}] >>\nendobj\n`,
    );
    const result = await verify(signedWithPayload(certificate, payload));
    expect(result.checks[0]?.outcome).toBe("pass");
    expect(failures(result)).toEqual([
      [
        "evidence",
        "The evidence file cellcert-evidence.json is missing from the document or damaged.",
      ],
    ]);
  });
});

describe("page 1, whose text the verdict check reads", () => {
  /** Page 1's content stream replaced (a later definition of its object) by `content`, deflated, then signed. */
  const withPageContent = (content: string): Uint8Array => {
    const file = new PdfFile(certificate.prepared);
    const pages = file.dict(file.dict(file.trailer?.get("Root"))?.get("Pages"));
    const page = file.dict(file.array(pages?.get("Kids"))[0]);
    const ref = page?.get("Contents");
    if (!(ref instanceof PdfRef))
      throw new Error(
        "The practice certificate's page 1 has no content stream.",
      );
    const data = deflateSync(Buffer.from(content, "latin1"));
    return signedWithPayload(
      certificate,
      Buffer.concat([
        Buffer.from(
          `${ref.num} 0 obj\n<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n`,
        ),
        data,
        Buffer.from("\nendstream\nendobj\n"),
      ]),
    );
  };

  it.each([
    [
      "more text than the reader keeps",
      `BT /F1 9 Tf ${"<0041004200430044> Tj ".repeat(70_000)} ET`,
      "Page 1 shows more than 262,144 characters; Cellcert read no further.",
    ],
    [
      "more tokens than the reader takes",
      "0 ".repeat(2_100_000),
      "Page 1 holds more than 2,000,000 tokens; Cellcert read no further.",
    ],
    ["page 1 drawn again without its stamp", "BT /F1 9 Tf <0041> Tj ET", ""],
  ])(
    "%s: stopped, and the verdict not taken as shown",
    async (_name, content, problem) => {
      const result = await verify(withPageContent(content));
      const [failure, ...more] = failures(result);
      expect(more).toEqual([]);
      expect(failure?.[0]).toBe("plant-verdict");
      expect(failure?.[1]).toMatch(
        problem === ""
          ? /page 1 shows no plant verdict stamp: the verdict shown is not the signed one\.$/
          : `${problem} Cellcert cannot check the verdict page 1 shows against the signed COMMISSIONED.`,
      );
    },
  );
});

// ---- fuzz ----------------------------------------------------------------------------------------------------

type Mutation =
  | { kind: "truncate"; at: number }
  | { kind: "flip"; flips: [number, number][] }
  | { kind: "splice"; at: number; bytes: Uint8Array }
  | { kind: "unterminated"; at: number; token: string; times: number }
  | { kind: "huge length"; which: number; length: string }
  | { kind: "deflate bomb"; inflatedMiB: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
  fc.record({
    kind: fc.constant("flip" as const),
    flips: fc.array(fc.tuple(position, fc.integer({ min: 1, max: 255 })), {
      minLength: 1,
      maxLength: 8,
    }),
  }),
  fc.record({
    kind: fc.constant("splice" as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
  fc.record({
    kind: fc.constant("unterminated" as const),
    at: position,
    // strings, hex strings, arrays, dictionaries, object headers, streams, comments, escapes: nested or repeated
    token: fc.constantFrom(
      "(",
      "<",
      "[",
      "<< /A ",
      "1 0 obj\n",
      "1 0 obj\n(",
      "<< /Length 5 >>\nstream\n",
      "%",
      "\\",
      "9",
      "/",
    ),
    times: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    kind: fc.constant("huge length" as const),
    which: fc.nat(),
    length: fc.constantFrom(
      "99999999999",
      "-1",
      "0",
      "1e308",
      "4294967296",
      "12 0 R",
      "/Length",
    ),
  }),
  fc.record({
    kind: fc.constant("deflate bomb" as const),
    inflatedMiB: fc.integer({ min: 1, max: 40 }),
  }),
);

/** What a token (DER, not PDF) can be mangled with: the byte mutations, and DER lengths that lie. */
const tokenMutation: fc.Arbitrary<Mutation> = fc.oneof(
  mutation.filter((m) => m.kind !== "deflate bomb"),
  fc.record({
    kind: fc.constant("splice" as const),
    at: position,
    bytes: fc.constantFrom(
      Uint8Array.from([0x84, 0xff, 0xff, 0xff, 0xff]),
      Uint8Array.from([0x80]),
      Uint8Array.from([0x30, 0x80]),
      Uint8Array.from([0x1f, 0xff, 0xff, 0xff, 0xff, 0x7f]),
      Uint8Array.from([0xa0, 0x00]),
    ),
  }),
);

function mutate(base: Uint8Array, m: Mutation): Uint8Array {
  const bytes = Buffer.from(base);
  const at = (p: number) =>
    Math.min(bytes.length, Math.floor(p * bytes.length));
  switch (m.kind) {
    case "truncate":
      return bytes.subarray(0, at(m.at));
    case "flip":
      for (const [p, mask] of m.flips) {
        const i = Math.min(bytes.length - 1, at(p));
        bytes[i] = (bytes[i] ?? 0) ^ mask;
      }
      return bytes;
    case "splice":
      return Buffer.concat([
        bytes.subarray(0, at(m.at)),
        m.bytes,
        bytes.subarray(at(m.at)),
      ]);
    case "unterminated":
      return Buffer.concat([
        bytes.subarray(0, at(m.at)),
        Buffer.from(m.token.repeat(m.times), "latin1"),
        bytes.subarray(at(m.at)),
      ]);
    case "huge length": {
      const text = bytes.toString("latin1");
      const lengths = [...text.matchAll(/\/Length (\d+)/g)];
      const target = lengths[m.which % lengths.length];
      if (target === undefined) return bytes;
      return Buffer.concat([
        bytes.subarray(0, target.index),
        Buffer.from(`/Length ${m.length}`),
        bytes.subarray(target.index + target[0].length),
      ]);
    }
    case "deflate bomb":
      return bytes;
  }
}

/** The certificate, mutated; re-signed over the mutation when `resign` and its placeholder survived. */
function hostile(m: Mutation, resign: boolean): Uint8Array {
  if (m.kind === "deflate bomb")
    return signedWithEvidenceStream(certificate, deflateBomb(m.inflatedMiB));
  if (!resign) return mutate(certificate.signed, m);
  const mutated = mutate(certificate.prepared, m);
  try {
    return signPreparedPdf(mutated, certificate.engineer);
  } catch {
    return mutated;
  }
}

/** A verdict with a sentence per check; or, only for bytes without a PDF header, "not a PDF document". */
async function expectVerdict(pdf: Uint8Array): Promise<VerifyResult | null> {
  let result: VerifyResult;
  try {
    result = await verifyCertificate(pdf, {
      caPems: [certificate.caPem],
      fileName: "hostile.pdf",
    });
  } catch (error) {
    // Never the net under a fault of ours ("could not be read: …"): only a file with no PDF in it.
    expect(error).toEqual(
      new UnreadableDocumentError("hostile.pdf is not a PDF document."),
    );
    expect(Buffer.from(pdf.subarray(0, 1024)).toString("latin1")).not.toContain(
      "%PDF-",
    );
    return null;
  }
  expect(result.checks.map((c) => c.id)).toEqual(verifyCheckIds);
  for (const check of result.checks) expect(check.message).toMatch(/\S.*\.$/s);
  expect(() => JSON.stringify(result)).not.toThrow();
  return result;
}

describe("verify of mutated certificates (fuzz)", () => {
  it(
    "gives a verdict for every mutation; a certificate mutated after signing is never valid unless only the unsigned padding of its signature changed",
    async () => {
      const { hole } = findSignatureHole(certificate.prepared);
      const original = Buffer.from(certificate.signed);
      await fc.assert(
        fc.asyncProperty(mutation, fc.boolean(), async (m, resign) => {
          const pdf = hostile(m, resign);
          const result = await expectVerdict(pdf);
          if (result?.valid !== true || resign || m.kind === "deflate bomb")
            return;
          const bytes = Buffer.from(pdf);
          expect(bytes.length).toBe(original.length);
          expect(bytes.subarray(0, hole.start + 1)).toEqual(
            original.subarray(0, hole.start + 1),
          );
          expect(bytes.subarray(hole.end - 1)).toEqual(
            original.subarray(hole.end - 1),
          );
        }),
        { numRuns: THOROUGH ? 3000 : 200 },
      );
    },
    THOROUGH ? 3_600_000 : 120_000,
  );

  it(
    "gives a verdict for any soup of PDF tokens after a PDF header",
    async () => {
      const token = fc.constantFrom(
        ..."1 0 obj|endobj|(|)|<|>|<<|>>|[|]|/Type|/Sig|/FT|/V 1 0 R|/Kids [1 0 R]|/AcroForm 1 0 R|/Fields [1 0 R]|/ByteRange [0 1 2 3]|/Contents <3082>|/SubFilter /ETSI.CAdES.detached|/M (D:20260302150000Z)|/Root 1 0 R|/Length 3|/Filter /FlateDecode|stream\n|\nendstream|trailer|%%EOF|12|-3.5|R|true|null|\\|%| |\n".split(
          "|",
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(token, { maxLength: 400 }),
          async (tokens) => {
            const result = await expectVerdict(
              Buffer.from(`%PDF-1.7\n${tokens.join(" ")}`, "latin1"),
            );
            expect(result?.valid).toBe(false);
          },
        ),
        { numRuns: THOROUGH ? 20_000 : 1_000 },
      );
    },
    THOROUGH ? 3_600_000 : 120_000,
  );

  it(
    "gives a verdict for any document of objects made of the keys and values the verifier looks at",
    async () => {
      const key = fc.constantFrom(
        ..."/ByteRange /Contents /M /SubFilter /FT /V /Kids /Fields /AcroForm /Info /Root /Names /EmbeddedFiles /EF /F /Filter /Length /CellcertCertificateNumber /CellcertEvidenceSHA256 /CellcertPlantVerdict /CellcertPractice".split(
          " ",
        ),
      );
      const value = fc.constantFrom(
        ..."<FEFF44>|<FEFF0044>|(\\376\\377D)|(D:20260302150000Z)|(D:99)|(cellcert-evidence.json)|[0 1 2 3]|[0 -1 2 3]|[0 1e400 2 3]|[]|<3082>|<>|()|1 0 R|2 0 R|3 0 R|99 0 R|/ETSI.CAdES.detached|/Sig|/FlateDecode|[/FlateDecode /FlateDecode]|[1 0 R 2 0 R 1 0 R]|[(cellcert-evidence.json) 2 0 R]|<< /F 3 0 R >>|<< /EmbeddedFiles 1 0 R >>|12|-1|null|true".split(
          "|",
        ),
      );
      const dictionary = fc
        .array(fc.tuple(key, value), { maxLength: 12 })
        .map((entries) => `<< ${entries.flat().join(" ")} >>`);
      await fc.assert(
        fc.asyncProperty(
          fc.array(dictionary, { minLength: 1, maxLength: 6 }),
          dictionary,
          async (objects, trailer) => {
            const body = objects
              .map((o, n) => `${n + 1} 0 obj\n${o}\nendobj\n`)
              .join("");
            const result = await expectVerdict(
              Buffer.from(
                `%PDF-1.7\n${body}trailer\n${trailer}\n%%EOF\n`,
                "latin1",
              ),
            );
            expect(result?.valid).toBe(false);
          },
        ),
        { numRuns: THOROUGH ? 20_000 : 1_000 },
      );
    },
    THOROUGH ? 3_600_000 : 120_000,
  );

  it(
    "gives a verdict for every mutation of a signature's time-stamp token, and judges the signer at a time-stamp's time only when the token checked is the TSA's own",
    async () => {
      const tsa = await createTimeStampingIdentity({
        name: "Fuzz TSA",
        issuer: certificate.ca,
        now: IDENTITY_MADE,
      });
      const prepared = await preparedForTimeStamp(
        await fixturePlan("good", { practice: true }),
        certificate.engineer,
        SIGNING_TIME,
      );
      let genuine: Uint8Array = new Uint8Array();
      const stamped = await signedWithToken(
        prepared,
        certificate.engineer,
        (value) => (genuine = timeStampToken(value, tsa, STAMPED)),
      );
      const intact = await expectVerdict(stamped);
      expect(intact?.timeStamp?.status).toBe("checked");
      // The same signature value every time (RSA PKCS #1 v1.5), so the genuine token stays the one for it.
      await fc.assert(
        fc.asyncProperty(tokenMutation, async (m) => {
          const token = mutate(genuine, m);
          // A token grown past the room the signature field has is no document at all: not a case.
          fc.pre(token.length <= genuine.length + 8 * 1024);
          const result = await expectVerdict(
            await signedWithToken(prepared, certificate.engineer, () => token),
          );
          if (result === null) throw new Error("a PDF read as none");
          const check = result.checks.find((c) => c.id === "time-stamp");
          const byTimeStamp = result.judgedAt?.by === "time-stamp";
          expect(byTimeStamp).toBe(check?.outcome === "pass");
          // However it is mangled, a token can never move the time the signer is judged at.
          if (byTimeStamp)
            expect(result.judgedAt?.time).toBe(STAMPED.toISOString());
          if (check?.outcome === "fail") expect(result.status).toBe("invalid");
        }),
        { numRuns: THOROUGH ? 1500 : 100 },
      );
    },
    THOROUGH ? 3_600_000 : 120_000,
  );
});
