// The steps of `verify` that hold the document against its signed evidence: the embedded evidence file hashes to
// the signed value and names this certificate and its signer; and the plant verdict the document shows — the
// stamp on page 1, the document information, the XMP metadata — is the verdict the evidence states.
import { createHash } from "node:crypto";
import type { PlantVerdict } from "../../../shared/plant-words";
import { sha256Fingerprint } from "../identity/x509";
import { EVIDENCE_FILE_NAME, PLANT_VERDICT_WORDS } from "./document-format";
import type { PdfDict } from "./pdf-objects";
import { PdfRef, textOf, type PdfFile } from "./pdf-objects";
import { firstPageText } from "./pdf-text";
import {
  fail,
  found,
  pass,
  type SignedEvidence,
  type VerifyStep,
} from "./verify-context";
import { asPlantVerdict } from "./verify-document";

export const evidenceStep: VerifyStep = {
  id: "evidence",
  needs: ["byte-range", "cms"],
  run(context) {
    const signed = found(context.signed, "the signed revision");
    const info = found(context.info, "the document information");
    const { result } = context;
    const signedHash = info.evidenceSha256;
    if (signed.incomplete !== null)
      return fail(
        `${signed.incomplete} Cellcert judges the evidence only on the whole signed document.`,
      );
    if (signedHash === undefined)
      return fail(
        "The signed document information carries no evidence hash: this is not a Cellcert certificate.",
      );
    const attachment = findAttachment(signed, EVIDENCE_FILE_NAME);
    if (attachment === undefined)
      return fail(
        `The evidence file ${EVIDENCE_FILE_NAME} is missing from the document or damaged.`,
      );
    if ("problem" in attachment)
      return fail(
        `The evidence file ${EVIDENCE_FILE_NAME} (object ${attachment.object}) ${attachment.problem}.`,
      );
    const hash = createHash("sha256").update(attachment.data).digest("hex");
    if (hash !== signedHash)
      return fail(
        `The embedded evidence hashes to ${hash}, not to the signed ${signedHash}.`,
      );
    // Parsed only once it hashes to the signed value: up to 16 MiB of JSON from anyone is not parsed.
    const evidence = readEvidence(attachment.data);
    if (evidence.number !== result.certificateNumber)
      return fail(
        `The embedded evidence belongs to certificate ${evidence.number ?? "(none)"}, not to ${result.certificateNumber ?? "(none)"}.`,
      );
    const signerFingerprint = sha256Fingerprint(
      found(context.signer, "the signer").raw,
    );
    if (evidence.signerFingerprint !== signerFingerprint)
      return fail(
        `The embedded evidence names the signer ${evidence.signerFingerprint ?? "(none)"}, but the document is signed by ${signerFingerprint}: it was signed again by someone else.`,
      );
    context.evidence = evidence;
    if (context.options.keepEvidence === true)
      result.evidenceJson = new Uint8Array(attachment.data); // its own copy, not a view of the PDF
    return pass(
      `The embedded ${EVIDENCE_FILE_NAME} matches the signed SHA-256 ${signedHash} and names this certificate and its signer.`,
    );
  },
};

export const plantVerdictStep: VerifyStep = {
  id: "plant-verdict",
  needs: ["evidence"],
  run(context) {
    const evidence = found(context.evidence, "the evidence");
    const info = found(context.info, "the document information");
    const signed = found(context.signed, "the signed revision");
    const { certificate, assessment } = evidence.plantVerdicts;
    if (certificate === null || assessment !== certificate)
      return fail(
        `The signed evidence states ${certificate ?? "no verdict"} for the certificate and ${assessment ?? "no verdict"} in its assessment: it is not evidence Cellcert wrote.`,
      );
    // The report states what the evidence states, not what the page shows.
    context.result.plantVerdict = certificate;
    const word = (verdict: PlantVerdict): string =>
      PLANT_VERDICT_WORDS[verdict];
    const differences: string[] = [];
    if (info.plantVerdict !== certificate)
      differences.push(
        `the document information states ${info.plantVerdict === undefined ? "no verdict" : `"${info.plantVerdict}"`}`,
      );
    const keywords = verdictsIn(info.keywords?.split(";") ?? []).filter(
      (v) => v !== certificate,
    );
    if (keywords.length > 0)
      differences.push(
        `the document's keywords state "${keywords.join('", "')}"`,
      );
    const xmp = verdictsIn(xmpKeywords(signed)).filter(
      (v) => v !== certificate,
    );
    if (xmp.length > 0)
      differences.push(`its XMP metadata states "${xmp.join('", "')}"`);

    const page = firstPageText(signed);
    if ("problem" in page)
      return fail(
        `${page.problem} Cellcert cannot check the verdict page 1 shows against the signed ${word(certificate)}.`,
      );
    if (page.unmapped > 0)
      return fail(
        `Page 1 shows ${page.unmapped} character${page.unmapped === 1 ? "" : "s"} in fonts that do not say which letters they are (no ToUnicode map): Cellcert cannot check the verdict page 1 shows against the signed ${word(certificate)}.`,
      );
    const shown = shownVerdicts(
      withoutTexts(page.text, evidence.textsWithVerdictWords),
    );
    if (shown.length === 0)
      differences.push("page 1 shows no plant verdict stamp");
    const other = shown.filter((v) => v !== certificate);
    if (other.length > 0)
      differences.push(
        `page 1 shows ${[...new Set(other)].map(word).join(" and ")}`,
      );
    if (differences.length > 0)
      return fail(
        `The signed evidence states ${word(certificate)}, but ${differences.join(", ")}: the verdict shown is not the signed one.`,
      );
    return pass(
      `Page 1's stamp and the document information state the verdict of the signed evidence: ${word(certificate)}.`,
    );
  },
};

/** `text` with every occurrence of `texts` (spaces normalized as the page's text is) taken out. */
function withoutTexts(text: string, texts: readonly string[]): string {
  return [...texts]
    .map((t) => t.replace(/\s+/g, " ").trim())
    .filter((t) => t !== "")
    .sort((a, b) => b.length - a.length)
    .reduce((rest, t) => rest.split(t).join(" "), text);
}

/** The plant verdicts among `items` (keywords), compared as words. */
function verdictsIn(items: readonly string[]): PlantVerdict[] {
  return items.flatMap((item) => {
    const verdict = asPlantVerdict(item.trim().toLowerCase());
    return verdict === null ? [] : [verdict];
  });
}

/** A plant verdict's words, in any case, the longest first ("NOT COMMISSIONED" is not read as "COMMISSIONED"). */
const VERDICT_WORDS =
  /(?<![A-Za-z])(not commissioned|commissioned with waivers|commissioned)(?![A-Za-z])/gi;

/** Every plant verdict page 1 writes. */
function shownVerdicts(text: string): PlantVerdict[] {
  return [...text.matchAll(VERDICT_WORDS)].flatMap((match) => {
    const verdict = asPlantVerdict(match[1]?.toLowerCase());
    return verdict === null ? [] : [verdict];
  });
}

/** pdf:Keywords of the catalog's XMP metadata stream, split as the document information's are. */
function xmpKeywords(file: PdfFile): string[] {
  const root = file.dict(file.trailer?.get("Root"));
  const metadata = root?.get("Metadata");
  if (!(metadata instanceof PdfRef)) return [];
  const stream = file.streamData(metadata);
  if ("problem" in stream) return [];
  const xml = Buffer.from(stream.data).toString("utf8");
  return [...xml.matchAll(/<pdf:Keywords>([^<]*)<\/pdf:Keywords>/g)].flatMap(
    (match) => (match[1] ?? "").split(";"),
  );
}

function readEvidence(data: Uint8Array): SignedEvidence {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data).toString("utf8"));
  } catch {
    json = null;
  }
  const at = (value: unknown, key: string): unknown =>
    typeof value === "object" && value !== null
      ? (value as Record<string, unknown>)[key]
      : undefined;
  const text = (value: unknown): string | null =>
    typeof value === "string" ? value : null;
  const certificate = at(json, "certificate");
  return {
    number: text(at(certificate, "number")),
    plantVerdicts: {
      certificate: asPlantVerdict(at(certificate, "plantVerdict")),
      assessment: asPlantVerdict(at(at(json, "assessment"), "plantVerdict")),
    },
    signerFingerprint: text(at(at(json, "signer"), "fingerprintSha256")),
    textsWithVerdictWords: textsWithVerdictWords(json),
  };
}

/** The evidence's strings that hold a verdict's words but are not a verdict; a few at most in any plan. */
function textsWithVerdictWords(json: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 64 || found.size >= 1000) return;
    if (typeof value === "string") {
      VERDICT_WORDS.lastIndex = 0;
      if (
        VERDICT_WORDS.test(value) &&
        asPlantVerdict(value.trim().toLowerCase()) === null
      )
        found.add(value);
    } else if (Array.isArray(value))
      for (const item of value) visit(item, depth + 1);
    else if (typeof value === "object" && value !== null)
      for (const item of Object.values(value)) visit(item, depth + 1);
  };
  visit(json, 0);
  return [...found];
}

/** The embedded file's data, or why it cannot be had; undefined when the document names no such file. */
type Attachment = { data: Uint8Array } | { object: number; problem: string };

function findAttachment(file: PdfFile, name: string): Attachment | undefined {
  const root = file.dict(file.trailer?.get("Root"));
  const names = file.dict(root?.get("Names"));
  const tree = file.dict(names?.get("EmbeddedFiles"));
  const visited = new Set<PdfDict>();
  const search = (
    node: PdfDict | undefined,
    depth: number,
  ): Attachment | undefined => {
    if (node === undefined || depth > 8 || visited.has(node)) return undefined;
    visited.add(node);
    const pairs = file.array(node.get("Names"));
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      if (textOf(file.resolve(pairs[i])) !== name) continue;
      const spec = file.dict(pairs[i + 1]);
      const embedded = file.dict(spec?.get("EF"))?.get("F");
      if (!(embedded instanceof PdfRef)) return undefined;
      const stream = file.streamData(embedded);
      return "data" in stream
        ? stream
        : { object: embedded.num, problem: stream.problem };
    }
    for (const kid of file.array(node.get("Kids"))) {
      const found = search(file.dict(kid), depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search(tree, 0);
}
