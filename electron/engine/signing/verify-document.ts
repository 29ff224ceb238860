// The steps of `verify` that read the document around the signature: exactly one PAdES signature with a signing
// time; a byte range that covers the whole file but the signature; nothing after the signed revision. The byte
// range step also reads the signed revision's document information for the report and the later steps.
import type { PlantVerdict } from "../../../shared/plant-words";
import { plantVerdicts } from "../../../shared/plant-words";
import { INFO_KEYS, SIGNATURE_SUB_FILTER } from "./document-format";
import {
  PdfDict,
  PdfString,
  nameOf,
  parsePdfDate,
  textOf,
  type PdfFile,
  type PdfValue,
} from "./pdf-objects";
import {
  UnreadableDocumentError,
  fail,
  found,
  pass,
  type VerifyContext,
  type VerifyStep,
} from "./verify-context";

export const signatureFieldStep: VerifyStep = {
  id: "signature-field",
  needs: [],
  run(context) {
    const { file, pdf, options, result } = context;
    const signatures = findSignatures(file);
    if (signatures.length === 0) {
      const looksLikePdf = Buffer.from(pdf.subarray(0, 1024))
        .toString("latin1")
        .includes("%PDF-");
      if (!looksLikePdf && file.objects.size === 0)
        throw new UnreadableDocumentError(
          `${options.fileName ?? "The file"} is not a PDF document.`,
        );
      return fail(
        file.incomplete === null
          ? "The document carries no signature: it is not a signed Cellcert certificate."
          : `No signature was found in what Cellcert read of the document: it is not a signed Cellcert certificate. ${file.incomplete}`,
      );
    }
    const [signature] = signatures;
    if (signatures.length > 1 || signature === undefined)
      return fail(
        `The document carries ${signatures.length} signatures; a Cellcert certificate carries exactly one.`,
      );
    const subFilter = nameOf(file.resolve(signature.get("SubFilter")));
    const signingTime = parsePdfDate(textOf(file.resolve(signature.get("M"))));
    result.signingTime = signingTime ?? null;
    if (subFilter !== SIGNATURE_SUB_FILTER)
      return fail(
        `The signature is of type ${subFilter ?? "unknown"}, not a PAdES signature (${SIGNATURE_SUB_FILTER}).`,
      );
    if (signingTime === undefined)
      return fail("The signature has no signing time (/M).");
    context.signature = signature;
    context.signingTime = new Date(signingTime);
    context.judgedAt = context.signingTime;
    context.judgedBy = "signing-time";
    return pass(
      `One PAdES signature (${SIGNATURE_SUB_FILTER}), signed ${signingTime.slice(0, 16).replace("T", " ")} UTC by the signer's clock.`,
    );
  },
};

export const byteRangeStep: VerifyStep = {
  id: "byte-range",
  needs: ["signature-field"],
  run(context) {
    const { pdf, file } = context;
    const signature = found(context.signature, "the signature");
    const contentsValue = signature.get("Contents");
    const range = file.array(signature.get("ByteRange"));
    const numbers = range.filter(
      (n): n is number =>
        typeof n === "number" && Number.isInteger(n) && n >= 0,
    );
    if (
      !(contentsValue instanceof PdfString) ||
      !contentsValue.hex ||
      numbers.length !== 4 ||
      range.length !== 4
    )
      return fail("The signature's /ByteRange or /Contents is malformed.");
    const [start1 = -1, length1 = -1, start2 = -1, length2 = -1] = numbers;
    const signedEnd = start2 + length2;
    if (
      start1 !== 0 ||
      length1 !== contentsValue.start ||
      start2 !== contentsValue.end ||
      signedEnd > pdf.length
    )
      return fail(
        `The byte range [${numbers.join(" ")}] does not cover the whole document except the signature (which is at ${contentsValue.start}–${contentsValue.end}).`,
      );
    context.contents = contentsValue;
    context.signedBytes = [
      pdf.subarray(0, length1),
      pdf.subarray(start2, signedEnd),
    ];
    // The signed revision from the same pass over the file: the objects that end where the signature's range does.
    context.signed = file.revision(signedEnd);
    readDocumentInformation(context.signed, context);
    return pass(
      `The byte range [${numbers.join(" ")}] covers everything but the signature itself.`,
    );
  },
};

export const wholeFileStep: VerifyStep = {
  id: "whole-file",
  needs: ["byte-range"],
  run(context) {
    const { pdf, result } = context;
    const signedEnd = found(context.signed, "the signed revision").length;
    result.appendedBytes = pdf.length - signedEnd;
    const revisionTail = Buffer.from(
      pdf.subarray(Math.max(0, signedEnd - 32), signedEnd),
    ).toString("latin1");
    if (result.appendedBytes > 0)
      return fail(
        `${result.appendedBytes} byte${result.appendedBytes === 1 ? " was" : "s were"} added after the signed revision: the document was changed after signing.`,
      );
    if (!/%%EOF\s*$/.test(revisionTail))
      return fail("The signed revision does not end with %%EOF.");
    return pass("Nothing follows the signed revision.");
  },
};

/** The signed document information: the report's number, verdict, practice flag and evidence hash. */
function readDocumentInformation(
  signed: PdfFile,
  context: VerifyContext,
): void {
  const { result } = context;
  const info = signed.dict(signed.trailer?.get("Info"));
  const infoText = (key: string): string | undefined =>
    textOf(signed.resolve(info?.get(key)));
  result.certificateNumber = infoText(INFO_KEYS.number) ?? null;
  const verdict = infoText(INFO_KEYS.plantVerdict);
  result.plantVerdict = asPlantVerdict(verdict);
  const practice = infoText(INFO_KEYS.practice);
  result.practice = practice === undefined ? null : practice === "true";
  const evidenceSha256 = infoText(INFO_KEYS.evidenceSha256)?.toLowerCase();
  result.evidenceSha256 = evidenceSha256 ?? null;
  context.info = {
    plantVerdict: verdict,
    keywords: infoText("Keywords"),
    evidenceSha256,
  };
}

export function asPlantVerdict(text: unknown): PlantVerdict | null {
  return (plantVerdicts as readonly unknown[]).includes(text)
    ? (text as PlantVerdict)
    : null;
}

/** Each field and name-tree node is visited once, so a tree whose kids repeat or loop costs no more than its size. */
function findSignatures(file: PdfFile): PdfDict[] {
  const found: PdfDict[] = [];
  const visited = new Set<PdfDict>();
  const visit = (value: PdfValue | undefined, depth: number): void => {
    if (depth > 8) return;
    const field = file.dict(value);
    if (field === undefined || visited.has(field)) return;
    visited.add(field);
    if (nameOf(file.resolve(field.get("FT"))) === "Sig") {
      const signature = file.dict(field.get("V"));
      if (signature !== undefined && !found.includes(signature))
        found.push(signature);
    }
    for (const kid of file.array(field.get("Kids"))) visit(kid, depth + 1);
  };
  const root = file.dict(file.trailer?.get("Root"));
  const form = file.dict(root?.get("AcroForm"));
  for (const field of file.array(form?.get("Fields"))) visit(field, 0);
  if (found.length > 0) return found;
  // The form may be damaged: any signature dictionary will do to judge the file.
  for (const object of file.objects.values()) {
    const value = object.value;
    if (
      value instanceof PdfDict &&
      value.get("ByteRange") !== undefined &&
      value.get("Contents") !== undefined
    )
      found.push(value);
  }
  return found;
}
