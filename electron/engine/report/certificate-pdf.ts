// The certificate PDF of DESIGN §10, laid out with pdfkit as a list of sections (each in sections/), PDF/A-3b
// (pdfa.ts), with the evidence JSON attached and the signature field in place: ready for signPreparedPdf.
import { GUIDE_TITLE } from "../../../shared/catalog/catalog";
import { PRODUCT_NAME, RULESET_VERSION } from "../../../shared/product";
import {
  CertificateContext,
  type CertificateContent,
} from "./certificate-context";
import { INFO_KEYS } from "../signing/document-format";
import { EVIDENCE_FILE_NAME, EVIDENCE_SCHEMA } from "./evidence";
import type { FontSet } from "./fonts";
import { addPdfaEntries, type DocumentInfo } from "./pdfa";
import { CertificateWriter } from "./pdf-writer";
import { cover, PRACTICE_BANNER } from "./sections/cover";
import { changesSection, changesShown } from "./sections/changes";
import { evidenceSection } from "./sections/evidence";
import { findingsSection } from "./sections/findings";
import { iec62443Section } from "./sections/iec62443";
import { resultsSection } from "./sections/results";
import { runsSection } from "./sections/runs";
import { scopeSection } from "./sections/scope";
import { signOffSection, trustSection } from "./sections/sign-off";
import { summarySection } from "./sections/summary";

export type { CertificateContent } from "./certificate-context";
export { PRACTICE_BANNER } from "./sections/cover";
export { SIGNATURE_FIELD_NAME } from "./sections/sign-off";

/** Keys of the signed document information that `verify` reads back (one list for writer and verifier). */
export { INFO_KEYS };

/** One section of the certificate: its bookmark, whether it opens a page, and how it draws itself. */
export interface CertificateSection {
  title: string;
  newPage: boolean;
  draw(writer: CertificateWriter, context: CertificateContext): void;
  /** Whether this certificate has the section at all (every certificate has it when absent). */
  shown?(context: CertificateContext): boolean;
}

/**
 * The certificate in reading order (DESIGN §10). "Changes since certificate <number>" follows the findings in the
 * certificate of a plan started from an earlier certificate (issue 20).
 */
export const SECTIONS: readonly CertificateSection[] = [
  { title: "Certificate", newPage: true, draw: cover },
  { title: "Findings to fix", newPage: true, draw: findingsSection },
  {
    title: "Changes since the previous certificate",
    newPage: false,
    draw: changesSection,
    shown: changesShown,
  },
  { title: "Boundaries at a glance", newPage: false, draw: summarySection },
  { title: "IEC 62443-3-3 view", newPage: false, draw: iec62443Section },
  { title: "Results per boundary", newPage: false, draw: resultsSection },
  {
    title: "Scope, method and limitations",
    newPage: false,
    draw: scopeSection,
  },
  { title: "Runs and the instrument", newPage: false, draw: runsSection },
  { title: "Evidence", newPage: false, draw: evidenceSection },
  { title: "Trust anchors and the signer", newPage: false, draw: trustSection },
  { title: "Sign-off", newPage: false, draw: signOffSection },
];

export interface RenderOptions {
  content: CertificateContent;
  fonts: FontSet;
  /** The sections to lay out; the certificate's by default. */
  sections?: readonly CertificateSection[];
}

/** The certificate, laid out and with its signature field, ready for signPreparedPdf. */
export async function renderCertificatePdf(
  options: RenderOptions,
): Promise<Uint8Array> {
  const { content, fonts } = options;
  const { plan } = content;
  const practice = plan.practice;
  const info: DocumentInfo = {
    Title: `${practice ? "PRACTICE " : ""}Commissioning certificate ${content.number} — ${plan.plant.name}`,
    Author: content.engineer,
    Subject: `${GUIDE_TITLE}: commissioning of the security cells of ${plan.plant.name}${plan.plant.site === "" ? "" : `, ${plan.plant.site}`}`,
    Keywords: [
      "commissioning certificate",
      "security cells",
      "IEC 62443-3-3",
      RULESET_VERSION,
      content.assessment.verdict,
      ...(practice ? ["PRACTICE"] : []),
    ].join("; "),
    Creator: `${PRODUCT_NAME} ${content.toolVersion}`,
    Producer: `${PRODUCT_NAME} ${content.toolVersion} (pdfkit)`,
    CreationDate: content.issuedAt,
    ModDate: content.issuedAt,
  };
  const writer = new CertificateWriter(fonts, {
    ...info,
    [INFO_KEYS.number]: content.number,
    [INFO_KEYS.evidenceSha256]: content.evidenceSha256,
    [INFO_KEYS.plantVerdict]: content.assessment.verdict,
    [INFO_KEYS.practice]: practice ? "true" : "false",
    [INFO_KEYS.schema]: EVIDENCE_SCHEMA,
  });
  const doc = writer.doc;
  const chunks: Uint8Array[] = [];
  doc.on("data", (chunk: Uint8Array) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });

  addPdfaEntries(
    doc,
    info,
    {
      name: EVIDENCE_FILE_NAME,
      mimeType: "application/json",
      description: `Evidence of commissioning certificate ${content.number} (${EVIDENCE_SCHEMA}); SHA-256 ${content.evidenceSha256}`,
      data: content.evidence,
      modified: content.issuedAt,
    },
    content.validationData,
  );

  writer.setWatermark(practice ? "PRACTICE" : null);
  const context = new CertificateContext(content);
  for (const section of options.sections ?? SECTIONS) {
    if (section.shown?.(context) === false) continue;
    if (section.newPage) writer.newPage();
    doc.outline.addItem(section.title);
    section.draw(writer, context);
  }

  writer.finishPages({
    left: `${PRODUCT_NAME} commissioning certificate ${content.number} · ${plan.plant.name}`,
    center: practice ? PRACTICE_BANNER : "",
  });
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
