// The plan's trust anchors, the signer's certificate, and the sign-off with the visible signature block over
// which the signature field lies.
import { SIGNATURE_SUB_FILTER } from "../../signing/document-format";
import { PRODUCT_NAME, RULESET_VERSION } from "../../../../shared/product";
import { shortName } from "../../../../shared/evidence/distinguished-name";
import { addSignatureField } from "../../signing/placeholder";
import type { CertificateContext } from "../certificate-context";
import { PRACTICE_NOTICE } from "../evidence";
import {
  fingerprintCell,
  fingerprintColumn,
  formatTime,
  orDash,
} from "../format";
import type { FontName } from "../fonts";
import {
  CONTENT_WIDTH,
  INK,
  MUTED,
  PAGE,
  type Cell,
  type CertificateWriter,
  type Column,
} from "../pdf-writer";
import { PLANT_VERDICT_STYLES } from "../verdict-styles";

export const SIGNATURE_FIELD_NAME = "Engineer signature";

export function trustSection(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { plan, content } = context;
  const fingerprint = fingerprintCell;
  const anchorColumns: Column[] = [
    { header: "Trust anchor", width: 120 },
    { header: "Subject", width: 229 },
    fingerprintColumn("SHA-256 fingerprint"),
  ];
  const anchorRows: Cell[][] = plan.trustAnchors.map((a) => [
    `${a.name} (${a.id})`,
    a.subject,
    fingerprint(a.fingerprintSha256),
  ]);
  const signer = content.signer;
  const signerRows: Cell[][] = [
    [
      `${signer.subject}\nissued by ${signer.issuer}\n${signer.keyType.toUpperCase()} ${signer.keyBits} bits${signer.curve === "" ? "" : ` (${signer.curve})`}, serial ${signer.serialNumber}`,
      `${signer.notBefore.slice(0, 10)}\nto ${signer.notAfter.slice(0, 10)}`,
      fingerprint(signer.fingerprintSha256),
    ],
    ...signer.chain.map((c): Cell[] => [
      c.subject,
      `to ${c.notAfter.slice(0, 10)}`,
      fingerprint(c.fingerprintSha256),
    ]),
  ];
  const signerColumns: Column[] = [
    { header: "Certificate", width: 270 },
    { header: "Valid", width: 79 },
    fingerprintColumn("SHA-256 fingerprint"),
  ];
  const anchors = {
    size: 7,
    caption:
      "The plan's trust anchors (the CAs endpoint chains are validated to)",
  };
  const signers = {
    size: 7,
    caption: "The engineer's signing certificate and its issuers",
  };
  writer.heading(
    "Trust anchors and the signer",
    1,
    anchorRows.length > 0
      ? writer.tableLeadHeight(anchorColumns, anchorRows, anchors)
      : writer.tableLeadHeight(signerColumns, signerRows, signers),
  );
  if (anchorRows.length > 0) writer.table(anchorColumns, anchorRows, anchors);
  writer.table(signerColumns, signerRows, signers);
}

export function signOffSection(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { content, plan } = context;
  const statement = `${content.engineer}${content.company === "" ? "" : ` of ${content.company}`} confirms that the checks in this certificate were carried out as recorded, from the vantages shown, with ${PRODUCT_NAME} applying rule catalog ${RULESET_VERSION}, and that the plant verdict is ${PLANT_VERDICT_STYLES[context.assessment.verdict].word}.${content.witnessName === "" ? "" : ` Witnessed by ${content.witnessName}.`}`;
  const signer = content.signer;
  const lines: {
    text: string;
    font: FontName;
    size: number;
    color?: string;
  }[] = [
    {
      text: `${plan.practice ? "PRACTICE SIGNATURE — " : ""}Digitally signed by ${shortName(signer.subject)}`,
      font: "bold",
      size: 10,
    },
    {
      text: `${signer.subject}, issued by ${signer.issuer}`,
      font: "condensed",
      size: 7.5,
    },
    {
      text: `Certificate SHA-256 ${signer.fingerprintSha256}`,
      font: "mono",
      size: 6.5,
    },
    {
      text: `Signed ${formatTime(content.issuedAt.toISOString())} by the laptop's clock; ${content.timeStampAuthorityName === null ? "PAdES baseline B-B" : `time-stamped by ${content.timeStampAuthorityName}; PAdES baseline B-T`} (${SIGNATURE_SUB_FILTER}, SHA-256); certificate ${content.number}.`,
      font: "condensed",
      size: 7.5,
    },
    {
      text: `To check it: open this file in a PAdES-capable reader, or run “cellcert verify <file> --ca <commissioning CA>.pem”.`,
      font: "condensed",
      size: 7.5,
      color: MUTED,
    },
    ...(plan.practice
      ? [{ text: PRACTICE_NOTICE, font: "bold" as const, size: 7.5 }]
      : []),
  ];
  const innerWidth = CONTENT_WIDTH - 20;
  const heights = lines.map((line) =>
    line.font === "mono"
      ? writer.unbrokenHeight(line.text, line.font, line.size, innerWidth)
      : writer.measure(line.text, line.font, line.size, innerWidth),
  );
  const blockHeight = heights.reduce((sum, h) => sum + h + 3, 0) + 16;
  const grid: [string, string][] = [
    ["Engineer", content.engineer],
    ["Company", orDash(content.company)],
    [
      "Witness",
      content.witnessName === "" ? "none named" : content.witnessName,
    ],
    ["Date", formatTime(content.issuedAt.toISOString())],
  ];
  writer.heading(
    "Sign-off",
    1,
    writer.paragraphHeight(statement, { size: 9 }) +
      writer.labelValuesHeight(grid, { size: 9, labelWidth: 90 }) +
      blockHeight +
      12,
  );
  writer.paragraph(statement, { size: 9 });
  writer.labelValues(grid, { size: 9, labelWidth: 90 });
  writer.y += 6;
  writer.ensureSpace(blockHeight);
  const top = writer.y;
  const rect = {
    x: PAGE.left,
    y: top,
    width: CONTENT_WIDTH,
    height: blockHeight,
  };
  writer.doc
    .rect(rect.x, rect.y, rect.width, rect.height)
    .lineWidth(1.2)
    .fillAndStroke("#f7f7f7", INK);
  let y = top + 8;
  lines.forEach((line, index) => {
    // The hash stays on one line; the rest wraps.
    const draw =
      line.font === "mono"
        ? writer.unbrokenAt.bind(writer)
        : writer.textAt.bind(writer);
    draw(
      line.text,
      rect.x + 10,
      y,
      innerWidth,
      line.font,
      line.size,
      line.color ?? INK,
    );
    y += (heights[index] ?? 0) + 3;
  });
  writer.y = top + blockHeight + 6;

  addSignatureField(writer.doc, {
    rect,
    fieldName: SIGNATURE_FIELD_NAME,
    signerName: shortName(signer.subject),
    reason: `${plan.practice ? "PRACTICE: " : ""}Commissioning certificate ${content.number}: ${context.assessment.verdict}`,
    location: [plan.plant.name, plan.plant.site]
      .filter((s) => s !== "")
      .join(", "),
    contactInfo: content.company,
    signingTime: content.issuedAt,
    contentsBytes: content.signatureRoom,
  });
}
