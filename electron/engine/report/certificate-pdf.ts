// The certificate PDF of DESIGN §10, laid out with pdfkit: cover with the verdict stamp, topology and summary,
// a section per boundary with every check (place, measurement, threshold, headroom, requirement, instrument,
// technician), waivers, attestations, what was not tested or out of scope, the evidence appendix, and the
// sign-off with the visible signature block. The evidence JSON is attached; the document is left ready to sign.
import { createHash } from "node:crypto";
import {
  GUIDE_TITLE,
  SYSTEM_REQUIREMENTS,
} from "../../../shared/catalog/catalog";
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import { runsMeasuring } from "../../../shared/model/endpoint-removal";
import type { Endpoint, Plan, Run } from "../../../shared/model/plan";
import { formatHostPort } from "../../../shared/model/net";
import { PRODUCT_NAME, RULESET_VERSION } from "../../../shared/product";
import {
  shownBoundaryVerdict,
  waiverExpired,
  type BoundaryAssessment,
  type CheckAssessment,
  type PlantAssessment,
} from "../../../shared/verdicts/rollup";
import type { IdentityInfo } from "../identity/engineer";
import { commonName } from "../identity/x509";
import { INFO_KEYS } from "../signing/document-format";
import { addSignatureField } from "../signing/placeholder";
import { drawLegend, drawTopology } from "./diagram";
import { opcuaEndpointTables } from "./opcua-endpoints";
import {
  CLOCK_NOTICE,
  EVIDENCE_FILE_NAME,
  EVIDENCE_SCHEMA,
  PRACTICE_NOTICE,
  timeStampedClockNotice,
} from "./evidence";
import type { FontSet } from "./fonts";
import {
  CONTENT_WIDTH,
  CertificateWriter,
  INK,
  MUTED,
  PAGE,
  PLANT_VERDICT_STYLES,
  VERDICT_STYLES,
  verdictLabel,
  type AnyVerdict,
  type Cell,
} from "./pdf-writer";

/** Keys of the signed document information that `verify` reads back (one list for writer and verifier). */
export { INFO_KEYS };

export const SIGNATURE_FIELD_NAME = "Engineer signature";
export const PRACTICE_BANNER = "PRACTICE — NOT A COMMISSIONING CERTIFICATE";

export interface CertificateContent {
  plan: Plan;
  assessment: PlantAssessment;
  number: string;
  issuedAt: Date;
  nextAuditDate: string;
  toolVersion: string;
  signer: IdentityInfo;
  engineer: string;
  company: string;
  witnessName: string;
  evidence: Uint8Array;
  evidenceSha256: string;
  /** The TSA that will time-stamp the signature, named for sentences ("the time-stamping authority http://…"). */
  timeStampAuthorityName: string | null;
  /** What a verifier years later needs beside the CA certificates, for the /DSS (DER). */
  validationData: { certificates: Uint8Array[]; crls: Uint8Array[] };
  /** Bytes reserved in /Contents for the signature (and its time-stamp). */
  signatureRoom: number;
}

/** The certificate, laid out and with its signature field, ready for signPreparedPdf. */
export async function renderCertificatePdf(
  content: CertificateContent,
  fonts: FontSet,
): Promise<Uint8Array> {
  const { plan } = content;
  const practice = plan.practice;
  const title = `${practice ? "PRACTICE " : ""}Commissioning certificate ${content.number} — ${plan.plant.name}`;
  const writer = new CertificateWriter(fonts, {
    Title: title,
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

  attachEvidence(doc, content);
  addValidationData(doc, content.validationData);

  const context = new Context(content);
  writer.newPage();
  doc.outline.addItem("Cover");
  cover(writer, context);
  writer.newPage();
  doc.outline.addItem("Topology and summary");
  topologyAndSummary(writer, context);
  writer.newPage();
  doc.outline.addItem("Results per boundary");
  results(writer, context);
  writer.newPage();
  doc.outline.addItem("Waivers, attestations, not tested, out of scope");
  waiversAndGaps(writer, context);
  writer.newPage();
  doc.outline.addItem("Evidence appendix");
  appendix(writer, context);
  doc.outline.addItem("Sign-off and signature");
  signOff(writer, context);

  writer.finishPages(
    {
      left: `${PRODUCT_NAME} commissioning certificate ${content.number} · ${plan.plant.name}`,
      center: practice ? PRACTICE_BANNER : "",
    },
    practice ? "PRACTICE" : null,
  );
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * The evidence JSON as an embedded file (PDF 32000 §7.11.4), associated with the document (/AF, as PDF/A-3
 * does). Written here rather than with pdfkit's doc.file(), whose pure-JS MD5 of a large file is slow.
 */
function attachEvidence(
  doc: PDFKit.PDFDocument,
  content: CertificateContent,
): void {
  const data = Buffer.from(content.evidence);
  const file = doc.ref({
    Type: "EmbeddedFile",
    Subtype: "application#2Fjson",
    Params: {
      CheckSum: new Uint8Array(createHash("md5").update(data).digest()),
      Size: data.length,
      CreationDate: content.issuedAt,
      ModDate: content.issuedAt,
    },
  });
  file.end(data);
  const text = (value: string): object => new String(value);
  const spec = doc.ref({
    Type: "Filespec",
    AFRelationship: "Data",
    F: text(EVIDENCE_FILE_NAME),
    UF: text(EVIDENCE_FILE_NAME),
    Desc: text(
      `Evidence of commissioning certificate ${content.number} (${EVIDENCE_SCHEMA}); SHA-256 ${content.evidenceSha256}`,
    ),
    EF: { F: file },
  });
  spec.end("");
  doc.addNamedEmbeddedFile(EVIDENCE_FILE_NAME, spec);
  (
    doc as unknown as { _root: { data: Record<string, unknown> } }
  )._root.data.AF = [spec];
}

/**
 * The Document Security Store (ETSI EN 319 142-1 §5.4.2, PDF 2.0 §12.8.4.3): the signer's certificates and the
 * CRLs for them, in the catalog of the revision that is signed — written before signing, so nothing is appended
 * after the signature and "nothing follows the signed revision" stays the integrity rule (DESIGN §10).
 */
function addValidationData(
  doc: PDFKit.PDFDocument,
  data: CertificateContent["validationData"],
): void {
  const stream = (der: Uint8Array): object => {
    const reference = doc.ref({});
    reference.end(Buffer.from(der));
    return reference;
  };
  const dss = doc.ref({
    Type: "DSS",
    Certs: data.certificates.map(stream),
    ...(data.crls.length > 0 && { CRLs: data.crls.map(stream) }),
  });
  dss.end("");
  (
    doc as unknown as { _root: { data: Record<string, unknown> } }
  )._root.data.DSS = dss;
}

/** What every section looks things up in. */
class Context {
  readonly runs: Map<string, Run>;
  readonly endpoints: Map<string, Endpoint>;
  readonly cellNames: Map<string, string>;

  constructor(readonly content: CertificateContent) {
    this.runs = new Map(content.plan.runs.map((run) => [run.id, run]));
    this.endpoints = new Map(content.plan.endpoints.map((e) => [e.id, e]));
    this.cellNames = new Map(content.plan.cells.map((c) => [c.id, c.name]));
  }

  get plan(): Plan {
    return this.content.plan;
  }

  get assessment(): PlantAssessment {
    return this.content.assessment;
  }

  endpointName(id: string): string {
    const endpoint = this.endpoints.get(id);
    return endpoint === undefined ? id : `${endpoint.name} (${id})`;
  }

  /** "Perimeter web (perimeter-web) · https 10.20.0.10:443 · cell Perimeter" */
  place(endpoint: Endpoint): string {
    const address =
      endpoint.kind === "manual"
        ? "manual check"
        : `${endpoint.kind} ${endpoint.port === undefined ? endpoint.host : formatHostPort(endpoint.host, endpoint.port)}`;
    const serverName =
      endpoint.serverName !== "" && endpoint.serverName !== endpoint.host
        ? ` (name ${endpoint.serverName})`
        : "";
    const cell = this.cellNames.get(endpoint.cell) ?? endpoint.cell;
    return `${endpoint.name} (${endpoint.id}) · ${address}${serverName} · in cell ${cell}`;
  }

  cellName(id: string): string {
    return this.cellNames.get(id) ?? id;
  }
}

// ---- cover ------------------------------------------------------------------------------------------------

function cover(writer: CertificateWriter, context: Context): void {
  const { content, plan, assessment } = context;
  const doc = writer.doc;
  const top = PAGE.top - 8;
  writer.textAt(
    PRODUCT_NAME.toUpperCase(),
    PAGE.left,
    top,
    200,
    "bold",
    9,
    MUTED,
  );
  writer.textAt(
    "Certificate No.",
    PAGE.left + CONTENT_WIDTH - 220,
    top,
    220,
    "regular",
    8,
    MUTED,
    "right",
  );
  writer.textAt(
    content.number,
    PAGE.left + CONTENT_WIDTH - 260,
    top + 11,
    260,
    "bold",
    11,
    INK,
    "right",
  );
  writer.textAt(
    plan.practice ? "PRACTICE CERTIFICATE" : "COMMISSIONING CERTIFICATE",
    PAGE.left,
    top + 34,
    CONTENT_WIDTH,
    "bold",
    22,
  );
  writer.textAt(
    `Secure communication between the security cells of a manufacturing plant — ${GUIDE_TITLE}, rule catalog ${RULESET_VERSION}`,
    PAGE.left,
    top + 62,
    CONTENT_WIDTH,
    "regular",
    9,
    MUTED,
  );
  writer.y = top + 84;
  writer.rule(writer.y, 1.5);
  writer.y += 10;

  if (plan.practice) {
    const height = 34;
    doc
      .rect(PAGE.left, writer.y, CONTENT_WIDTH, height)
      .lineWidth(2)
      .strokeColor(INK)
      .stroke();
    writer.textAt(
      PRACTICE_BANNER,
      PAGE.left,
      writer.y + 6,
      CONTENT_WIDTH,
      "bold",
      13,
      INK,
      "center",
    );
    writer.textAt(
      PRACTICE_NOTICE,
      PAGE.left,
      writer.y + 22,
      CONTENT_WIDTH,
      "regular",
      7.5,
      INK,
      "center",
    );
    writer.y += height + 10;
  }

  const dates =
    plan.plant.startDate === undefined
      ? "—"
      : plan.plant.endDate === undefined ||
          plan.plant.endDate === plan.plant.startDate
        ? plan.plant.startDate
        : `${plan.plant.startDate} to ${plan.plant.endDate}`;
  writer.labelValues(
    [
      ["Plant", { text: plan.plant.name, font: "bold" }],
      ["Site", orDash(plan.plant.site)],
      ["Customer", orDash(plan.plant.customer)],
      ["Order number", orDash(plan.plant.orderNumber)],
      ["On site", dates],
    ],
    { size: 10, labelWidth: 120 },
  );
  writer.y += 8;

  // The stamp: the plant verdict in a double frame, symbol and words.
  const style = PLANT_VERDICT_STYLES[assessment.verdict];
  const stampTop = writer.y;
  const counts = countsLine(assessment);
  const stampHeight =
    60 + writer.measure(counts, "condensed", 8, CONTENT_WIDTH - 20);
  doc
    .rect(PAGE.left, stampTop, CONTENT_WIDTH, stampHeight)
    .lineWidth(2.5)
    .fillAndStroke(style.tint, style.color);
  doc
    .rect(PAGE.left + 4, stampTop + 4, CONTENT_WIDTH - 8, stampHeight - 8)
    .lineWidth(0.8)
    .strokeColor(style.color)
    .stroke();
  writer.textAt(
    "PLANT VERDICT",
    PAGE.left,
    stampTop + 10,
    CONTENT_WIDTH,
    "bold",
    8,
    style.color,
    "center",
  );
  writer.textAt(
    `${style.symbol} ${style.word}`,
    PAGE.left,
    stampTop + 23,
    CONTENT_WIDTH,
    "bold",
    22,
    style.color,
    "center",
  );
  writer.textAt(
    counts,
    PAGE.left + 10,
    stampTop + 53,
    CONTENT_WIDTH - 20,
    "condensed",
    8,
    INK,
    "center",
  );
  writer.y = stampTop + stampHeight + 12;

  const signer = content.signer;
  writer.labelValues(
    [
      ["Engineer", { text: content.engineer, font: "bold" }],
      ["Company", orDash(content.company)],
      [
        "Witness",
        content.witnessName === ""
          ? "— (no witness named)"
          : `${content.witnessName} (named witness; the engineer alone signs)`,
      ],
      ["Signing identity", `${signer.subject}, issued by ${signer.issuer}`],
      ["Identity SHA-256", { text: signer.fingerprintSha256, font: "mono" }],
      [
        "Issued",
        `${formatTime(content.issuedAt.toISOString())} (laptop clock${content.timeStampAuthorityName === null ? "" : "; the signature's time-stamp certifies the time"})`,
      ],
      [
        "Next audit due",
        `${content.nextAuditDate} (${plan.policy.reauditMonths} months after issue)`,
      ],
      [
        "Standard applied",
        `${GUIDE_TITLE}; IEC 62443-3-3 system requirements ${Object.keys(
          SYSTEM_REQUIREMENTS,
        )
          .map((sr) => `SR ${sr}`)
          .join(", ")}; thresholds of Mozilla's "intermediate" TLS profile`,
      ],
      [
        "Instrument",
        `${PRODUCT_NAME} ${content.toolVersion}, rule catalog ${RULESET_VERSION}; ${plan.runs.length} run${plan.runs.length === 1 ? "" : "s"} from ${vantagesLine(plan)}`,
      ],
      [
        "Evidence",
        `${EVIDENCE_FILE_NAME} (${EVIDENCE_SCHEMA}), attached to this PDF`,
      ],
      ["Evidence SHA-256", { text: content.evidenceSha256, font: "mono" }],
    ],
    { size: 9, labelWidth: 120 },
  );
  writer.y += 6;
  const tsa = content.timeStampAuthorityName;
  writer.paragraph(tsa === null ? CLOCK_NOTICE : timeStampedClockNotice(tsa), {
    size: 8,
    color: MUTED,
  });
  writer.paragraph(
    `This document is signed by the engineer with a PAdES baseline ${tsa === null ? "B-B signature" : `B-T signature, time-stamped by ${tsa}`}; the signer's certificates${content.validationData.crls.length > 0 ? " and CRLs" : ""} are kept in the document (DSS) for verification years later. Any PAdES-capable reader, or "cellcert verify", checks that nothing has changed since signing; the evidence file's SHA-256 above is also part of the signed document information.`,
    { size: 8, color: MUTED },
  );
}

function countsLine(assessment: PlantAssessment): string {
  const inScope = assessment.boundaries.filter((b) => b.inScope);
  const byVerdict = (["pass", "warn", "incomplete", "fail"] as const)
    .map((v) => ({ v, n: inScope.filter((b) => b.verdict === v).length }))
    .filter(({ n }) => n > 0)
    .map(({ v, n }) => `${n} ${VERDICT_STYLES[v].word.toLowerCase()}`);
  const checks = (Object.entries(assessment.counts) as [AnyVerdict, number][])
    .filter(([, n]) => n > 0)
    .map(
      ([v, n]) =>
        `${VERDICT_STYLES[v].symbol} ${n} ${VERDICT_STYLES[v].word.toLowerCase()}`,
    );
  const total = Object.values(assessment.counts).reduce((a, b) => a + b, 0);
  return `${inScope.length} boundar${inScope.length === 1 ? "y" : "ies"} in scope (${byVerdict.join(", ") || "none judged"}) · ${total} checks: ${checks.join("  ") || "none"}`;
}

function vantagesLine(plan: Plan): string {
  const vantages = [...new Set(plan.runs.map((run) => run.vantage))];
  return vantages.length === 0
    ? "no vantage yet"
    : `the ${vantages.join(", ")} vantage${vantages.length === 1 ? "" : "s"}`;
}

// ---- topology and summary ---------------------------------------------------------------------------------

function topologyAndSummary(writer: CertificateWriter, context: Context): void {
  const { plan, assessment } = context;
  writer.heading("Topology");
  // A boundary that passes only because something was waived reads WAIVED, never pass.
  const verdictOf = (id: string): AnyVerdict => {
    const boundary = assessment.boundaries.find((b) => b.boundary.id === id);
    return boundary === undefined
      ? "out-of-scope"
      : shownBoundaryVerdict(boundary);
  };
  drawTopology(
    writer,
    plan.cells,
    plan.boundaries.map((boundary) => ({
      boundary,
      verdict: verdictOf(boundary.id),
    })),
  );
  drawLegend(writer, [
    "pass",
    "warn",
    "waived",
    "incomplete",
    "fail",
    "out-of-scope",
  ]);
  const rows: Cell[][] = assessment.boundaries.map((b) => {
    const style = VERDICT_STYLES[shownBoundaryVerdict(b)];
    const counts = b.inScope
      ? checkCounts(b)
      : b.outOfScopeReason || "out of scope";
    const endpoints = plan.endpoints.filter(
      (e) => e.boundary === b.boundary.id && e.retired !== true,
    ).length;
    return [
      { text: `${b.boundary.id} · ${b.boundary.title}`, font: "bold" },
      b.boundary.protection,
      String(endpoints),
      counts,
      {
        text: `${style.symbol} ${style.word}`,
        font: "bold",
        color: style.color,
        fill: style.tint,
      },
    ];
  });
  const columns = [
    { header: "Boundary", width: 155 },
    { header: "Required protection", width: 135 },
    { header: "Endpoints", width: 55, align: "right" as const },
    { header: "Checks", width: 79 },
    { header: "Verdict", width: 75 },
  ];
  writer.heading(
    "Summary by boundary",
    2,
    writer.tableHeight(columns, rows, 7.5) +
      6 +
      writer.measure(CHECK_SYMBOLS, "regular", 7.5, CONTENT_WIDTH),
  );
  writer.table(columns, rows, 7.5);
  writer.paragraph(CHECK_SYMBOLS, { size: 7.5, color: MUTED });
}

const CHECK_SYMBOLS = `Check symbols: ${(["pass", "warn", "fail", "not-tested", "waived", "attested"] as const).map((v) => verdictLabel(v)).join(" · ")}.`;

function checkCounts(boundary: BoundaryAssessment): string {
  const counts = new Map<AnyVerdict, number>();
  for (const check of boundary.checks)
    counts.set(check.verdict, (counts.get(check.verdict) ?? 0) + 1);
  const parts = [...counts].map(([v, n]) => `${VERDICT_STYLES[v].symbol} ${n}`);
  const outOfDate = boundary.checks.filter((c) => c.outOfDate !== null).length;
  return [
    `${boundary.checks.length} check${boundary.checks.length === 1 ? "" : "s"}: ${parts.join("  ") || "none"}`,
    ...(outOfDate === 0 ? [] : [unbroken(`${outOfDate} out of date`)]),
    ...boundary.gaps,
  ].join("\n");
}

/** "out of date" is never broken across a line: its spaces become no-break spaces. */
function unbroken(text: string): string {
  return text.replace(/(\d+ )?out of date/gi, (words) =>
    words.replaceAll(" ", "\u00a0"),
  );
}

/** How a check's badge reads: its verdict, or OUT OF DATE for a result of an endpoint that changed since. */
function shownCheckVerdict(item: CheckAssessment): AnyVerdict {
  return item.outOfDate === null ? item.verdict : "out-of-date";
}

// ---- results ----------------------------------------------------------------------------------------------

function results(writer: CertificateWriter, context: Context): void {
  writer.heading("Results per boundary");
  writer.paragraph(
    `Every check on every endpoint: where it was measured from, what was measured, the threshold it was held against and the headroom left, the rule catalog's requirement and the run that measured it. The system requirements cited are those of IEC 62443-3-3: ${Object.values(SYSTEM_REQUIREMENTS).join("; ")}.`,
    { size: 8.5, color: MUTED },
  );
  const inScope = context.assessment.boundaries.filter((b) => b.inScope);
  inScope.forEach((boundary, index) => {
    if (index > 0) writer.y += 6;
    boundaryHeader(writer, boundary);
    opcuaEndpointTables(writer, context.plan, boundary.boundary.id);
    if (boundary.checks.length === 0)
      writer.paragraph(
        boundary.gaps.join(" ") ||
          "No check applies to this boundary's endpoints.",
        {
          size: 9,
        },
      );
    for (const item of boundary.checks) checkBlock(writer, context, item);
  });
  if (inScope.length === 0)
    writer.paragraph("No boundary is in scope.", { size: 9 });
}

function boundaryHeader(
  writer: CertificateWriter,
  boundary: BoundaryAssessment,
): void {
  const style = VERDICT_STYLES[boundary.verdict ?? "out-of-scope"];
  writer.heading(`${boundary.boundary.id} — ${boundary.boundary.title}`, 2);
  const top = writer.y;
  writer.badge(style, PAGE.left, top, 8.5, 96);
  writer.textAt(
    `Required: ${boundary.boundary.protection}. Probed from the ${boundary.boundary.vantages.join(" and ")} vantage.`,
    PAGE.left + 104,
    top + 1,
    CONTENT_WIDTH - 104,
    "regular",
    8.5,
  );
  writer.y = top + 16;
  writer.paragraph(
    `“${boundary.boundary.guide.quote}” — ${GUIDE_TITLE}, ${boundary.boundary.guide.section}.`,
    {
      font: "regular",
      size: 8,
      color: MUTED,
    },
  );
  for (const gap of boundary.gaps)
    writer.paragraph(`◐ ${gap}`, { size: 8.5, font: "bold" });
}

function checkBlock(
  writer: CertificateWriter,
  context: Context,
  item: CheckAssessment,
): void {
  const { check, endpoint, result } = item;
  const style = VERDICT_STYLES[shownCheckVerdict(item)];
  const rows: [string, Cell][] = [
    ["Place", { text: context.place(endpoint), font: "condensed" }],
  ];
  if (result !== null) {
    rows.push([
      item.outOfDate === null ? "Measured" : "Measured before",
      orDash(result.measured),
    ]);
    if (result.threshold !== "") rows.push(["Threshold", result.threshold]);
    if (result.headroom !== "") rows.push(["Headroom", result.headroom]);
  }
  rows.push([
    "Result",
    {
      text: unbroken(item.summary),
      font: item.verdict === "fail" ? "bold" : "regular",
    },
  ]);
  if (item.outOfDate !== null) rows.push(["Why not tested", "out of date"]);
  else if (result !== null && result.reason !== "")
    rows.push(["Why not tested", result.reason]);
  if (item.waiver !== null)
    rows.push([
      item.waiverExpired ? "Waiver (expired)" : "Waiver",
      `${item.waiver.justification} — ${item.waiver.name}, ${item.waiver.date}; approved by ${item.waiver.approvedBy}${item.waiver.expires === undefined ? "" : `${item.waiverExpired ? ", expired after" : ", until"} ${item.waiver.expires}`}${item.waiver.notes === "" ? "" : ` (${item.waiver.notes})`}`,
    ]);
  if (item.attestation !== null)
    rows.push([
      item.attestation.contradictedByRun === undefined
        ? "Attestation"
        : "Attestation (contradicted)",
      `${item.attestation.statement} — ${item.attestation.name}, ${item.attestation.date}${item.attestation.contradictedByRun === undefined ? "" : `; run ${item.attestation.contradictedByRun} measured a failure, so it no longer counts`}${item.attestation.notes === "" ? "" : ` (${item.attestation.notes})`}`,
    ]);
  rows.push(["Requirement", { text: check.requirement, font: "condensed" }]);
  rows.push([
    "Measured by",
    { text: measuredBy(context, item), font: "condensed" },
  ]);

  const options = { size: 7.5, labelWidth: 62 };
  const titleHeight = 14;
  const height = titleHeight + writer.labelValuesHeight(rows, options) + 7;
  writer.ensureSpace(Math.min(height, writer.bottom - PAGE.top));
  const top = writer.y;
  writer.badge(style, PAGE.left, top, 7, 82);
  const meta = `${check.severity}${check.satisfiedBy === "probe" ? "" : ` · ${check.satisfiedBy === "attest" ? "attested" : "probe or attest"}`} · SR ${check.sr.join(", ")}`;
  writer.textAt(
    meta,
    PAGE.left + CONTENT_WIDTH - 150,
    top + 1,
    150,
    "condensed",
    7,
    MUTED,
    "right",
  );
  writer.textAt(
    `${check.id} — ${check.title}`,
    PAGE.left + 88,
    top + 0.5,
    CONTENT_WIDTH - 88 - 152,
    "bold",
    8,
  );
  writer.y = top + titleHeight;
  writer.labelValues(rows, options);
  writer.y += 2;
  writer.rule(writer.y, 0.3);
  writer.y += 5;
}

function measuredBy(context: Context, item: CheckAssessment): string {
  const run = item.run === null ? undefined : context.runs.get(item.run.id);
  if (run === undefined || item.result === null)
    return item.verdict === "attested"
      ? `Attested by the engineer; ${PRODUCT_NAME} ${context.content.toolVersion}, rule catalog ${RULESET_VERSION}.`
      : "Not measured.";
  const addresses = run.laptop.addresses
    .slice(0, 3)
    .map((a) => a.address)
    .join(", ");
  const evidence =
    item.result.evidenceIds.length === 0
      ? ""
      : ` · evidence ${item.result.evidenceIds.join(", ")}`;
  return `Run ${run.sequence} (${run.id}) from the ${run.vantage} vantage · laptop ${run.laptop.hostName}${addresses === "" ? "" : ` at ${addresses}`} · ${formatTime(item.result.finishedAt)} · ${PRODUCT_NAME} ${run.toolVersion}, ${run.rulesetVersion} · engineer ${context.content.engineer}${evidence}`;
}

// ---- waivers, attestations, not tested, out of scope ------------------------------------------------------

function waiversAndGaps(writer: CertificateWriter, context: Context): void {
  const { plan, assessment } = context;
  const endpointCell = (id: string): string => context.endpointName(id);

  /** Waivers and attestations: the same table, a justification or a statement, signed by name and date. */
  const signedTable = (
    entries: readonly {
      checkId: string;
      endpointId: string;
      text: string;
      notes: string;
      name: string;
      date: string;
    }[],
    words: { empty: string; text: string; by: string },
  ): void => {
    if (entries.length === 0) {
      writer.paragraph(words.empty, { size: 9 });
      return;
    }
    writer.table(
      [
        { header: "Check", width: 110 },
        { header: "Endpoint", width: 92 },
        { header: words.text, width: 173 },
        { header: words.by, width: 72 },
        { header: "Date", width: 52 },
      ],
      entries.map((e) => [
        { text: e.checkId, font: "bold" },
        endpointCell(e.endpointId),
        e.notes === "" ? e.text : `${e.text}\nNotes: ${e.notes}`,
        e.name,
        e.date,
      ]),
    );
  };

  writer.heading("Waivers");
  // Who approved each waiver and until when (DESIGN §10); an expired waiver waives nothing any more.
  signedTable(
    plan.waivers.map((w) => ({
      ...w,
      text: w.justification,
      name: `${w.name}; approved by ${w.approvedBy}`,
      date:
        w.expires === undefined
          ? w.date
          : `${w.date}\n${waiverExpired(w, context.content.issuedAt) ? "expired after" : "until"} ${w.expires}`,
    })),
    { empty: "No check was waived.", text: "Justification", by: "Waived by" },
  );

  writer.heading("Attestations", 1);
  signedTable(
    plan.attestations.map((a) => ({ ...a, text: a.statement })),
    {
      empty: "Nothing was attested.",
      text: "Statement",
      by: "Attested by",
    },
  );

  writer.heading("Not tested", 1);
  const notTested = assessment.boundaries
    .filter((b) => b.inScope)
    .flatMap((b) => b.checks.filter((c) => c.verdict === "not-tested"));
  const gaps = assessment.boundaries
    .filter((b) => b.inScope)
    .flatMap((b) => b.gaps);
  if (notTested.length === 0 && gaps.length === 0)
    writer.paragraph("Every check in scope was measured or attested.", {
      size: 9,
    });
  else {
    if (notTested.length > 0)
      writer.table(
        [
          { header: "Check", width: 135 },
          { header: "Endpoint", width: 105 },
          { header: "Severity", width: 60 },
          { header: "Why", width: 199 },
        ],
        notTested.map((c) => [
          { text: c.check.id, font: "bold" },
          context.endpointName(c.endpoint.id),
          c.check.severity,
          c.outOfDate === null && c.result !== null && c.result.reason !== ""
            ? `${c.result.reason}: ${c.summary}`
            : unbroken(c.summary),
        ]),
      );
    for (const gap of gaps) writer.paragraph(`◐ ${gap}`, { size: 9 });
  }

  writer.heading("Out of scope", 1);
  const outOfScope = assessment.boundaries.filter((b) => !b.inScope);
  const placeholders = plan.endpoints.filter(
    (e) => e.placeholder && e.retired !== true,
  );
  const retired = plan.endpoints.filter((e) => e.retired === true);
  if (
    outOfScope.length === 0 &&
    placeholders.length === 0 &&
    retired.length === 0
  )
    writer.paragraph("Every boundary of the rule catalog is in scope.", {
      size: 9,
    });
  else {
    if (outOfScope.length > 0)
      writer.table(
        [
          { header: "Boundary", width: 160 },
          { header: "Why it is out of scope", width: 339 },
        ],
        outOfScope.map((b) => [
          {
            text: `${b.boundary.id} — ${b.boundary.title}`,
            font: "bold",
          },
          b.outOfScopeReason === ""
            ? "No reason was given."
            : b.outOfScopeReason,
        ]),
      );
    if (placeholders.length > 0)
      writer.paragraph(
        `Endpoints still placeholders from the plant template, not probed: ${placeholders.map((e) => context.endpointName(e.id)).join(", ")}.`,
        { size: 9 },
      );
    for (const endpoint of retired)
      writer.paragraph(
        `Retired: ${context.endpointName(endpoint.id)} (${context.place(endpoint)}) was removed from the plan after it was probed; its results stay in run ${runsMeasuring(plan, endpoint.id).join(", ")} and in the evidence, and no longer count.`,
        { size: 9 },
      );
  }
}

// ---- evidence appendix ------------------------------------------------------------------------------------

function appendix(writer: CertificateWriter, context: Context): void {
  const { plan } = context;
  writer.heading("Evidence appendix");
  writer.paragraph(
    `The raw observations behind the results, in short. The complete record — every field, with each certificate in PEM — is the attached ${EVIDENCE_FILE_NAME}, whose SHA-256 is on the cover.`,
    { size: 8.5, color: MUTED },
  );

  writer.heading("Runs", 2);
  const runs = [...plan.runs].sort((a, b) => a.sequence - b.sequence);
  if (runs.length === 0) writer.paragraph("No run was recorded.", { size: 9 });
  else
    writer.table(
      [
        { header: "#", width: 20, align: "right" },
        { header: "Vantage", width: 82 },
        { header: "Time (laptop clock)", width: 92 },
        { header: "Laptop and addresses", width: 130 },
        { header: "Clock skew", width: 52 },
        { header: "Laptop in the vantage's cell", width: 123 },
      ],
      runs.map((run) => {
        const vantage = plan.vantages.find((v) => v.id === run.vantage);
        return [
          String(run.sequence),
          `${run.vantage}\n(cell ${context.cellName(vantage?.cell ?? run.vantage)})\n${run.id}`,
          `${formatTime(run.startedAt)}\nto ${run.finishedAt === undefined ? "—" : formatTime(run.finishedAt)}\n${run.status}; ${run.results.length} results`,
          [
            run.laptop.hostName,
            ...run.laptop.addresses.map(
              (a) =>
                `${a.interface} ${a.address}${a.cidr === "" ? "" : ` (${a.cidr})`}`,
            ),
          ].join("\n"),
          clockSkew(run.laptop.clockSkewMs),
          {
            text: `${verdictLabel(run.vantageAddress.verdict)}\n${run.vantageAddress.message}`,
            color: VERDICT_STYLES[run.vantageAddress.verdict].color,
          },
        ];
      }),
    );

  writer.heading("Evidence records", 2);
  let records = 0;
  for (const run of runs) {
    for (const evidence of run.evidence) {
      records += 1;
      const endpoint = context.endpoints.get(evidence.endpointId);
      writer.ensureSpace(60);
      writer.heading(
        `${evidence.id} · ${evidence.probe} · ${evidence.target}`,
        3,
      );
      writer.paragraph(
        `Run ${run.sequence} from the ${run.vantage} vantage · ${endpoint === undefined ? evidence.endpointId : context.place(endpoint)} · started ${formatTime(evidence.startedAt)} · ${Math.round(evidence.durationMs)} ms`,
        { size: 7.5, color: MUTED, gap: 3 },
      );
      const { chains, lines, omitted } = summarizeEvidence(evidence.data);
      for (const chain of chains)
        chainTable(writer, chain.path, chain.certificates);
      if (lines.length > 0)
        writer.paragraph(
          lines.join("\n") +
            (omitted > 0
              ? `\n… ${omitted} more field${omitted === 1 ? "" : "s"} in ${EVIDENCE_FILE_NAME}`
              : ""),
          { font: "condensed", size: 7, gap: 6 },
        );
    }
  }
  if (records === 0) writer.paragraph("No evidence was recorded.", { size: 9 });

  if (plan.trustAnchors.length > 0) {
    writer.heading("Trust anchors of the plan", 2);
    writer.table(
      [
        { header: "Anchor", width: 150 },
        { header: "Subject", width: 150 },
        { header: "SHA-256 fingerprint", width: 199, font: "mono", size: 6 },
      ],
      plan.trustAnchors.map((a) => [
        `${a.name} (${a.id})`,
        a.subject,
        a.fingerprintSha256,
      ]),
    );
  }

  writer.heading("The signer's certificate", 2);
  const signer = context.content.signer;
  writer.table(
    [
      { header: "Certificate", width: 190 },
      { header: "Valid", width: 90 },
      { header: "SHA-256 fingerprint", width: 219, font: "mono", size: 6 },
    ],
    [
      [
        `${signer.subject}\nissued by ${signer.issuer}\n${signer.keyType.toUpperCase()} ${signer.keyBits} bits${signer.curve === "" ? "" : ` (${signer.curve})`} · serial ${signer.serialNumber}`,
        `${signer.notBefore.slice(0, 10)}\nto ${signer.notAfter.slice(0, 10)}`,
        signer.fingerprintSha256,
      ],
      ...signer.chain.map((c): Cell[] => [
        c.subject,
        `to ${c.notAfter.slice(0, 10)}`,
        c.fingerprintSha256,
      ]),
    ],
  );
}

function clockSkew(ms: number | undefined): string {
  if (ms === undefined) return "not measured";
  const seconds = ms / 1000;
  const sign = seconds > 0 ? "+" : seconds < 0 ? "−" : "±";
  return `${sign}${Math.abs(seconds).toFixed(1)} s\n(laptop − servers' Date)`;
}

interface EvidenceSummary {
  chains: { path: string; certificates: CertificateInfo[] }[];
  lines: string[];
  omitted: number;
}

const MAX_LINES = 30;
const MAX_VALUE = 150;

/** Certificate chains found anywhere in the evidence, and the other fields as short "path: value" lines. */
export function summarizeEvidence(data: unknown): EvidenceSummary {
  const summary: EvidenceSummary = { chains: [], lines: [], omitted: 0 };
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      if (value.length > 0 && value.every(isCertificateLike)) {
        summary.chains.push({
          path: path || "certificates",
          certificates: value,
        });
        return;
      }
      if (value.every(isPrimitive)) {
        emit(path, value.map((v) => primitiveText(v)).join(", ") || "(none)");
        return;
      }
      // A list of flat records (suites, ports, paths): one line, by name where they have one.
      if (value.every(isFlatRecord)) {
        emit(path, value.map((record) => flatText(record)).join("; "));
        return;
      }
      value.forEach((v, i) => walk(v, `${path}[${labelOf(v) ?? i}]`));
      return;
    }
    if (value !== null && typeof value === "object") {
      if (isCertificateLike(value)) {
        summary.chains.push({
          path: path || "certificate",
          certificates: [value],
        });
        return;
      }
      for (const [key, child] of Object.entries(value)) {
        if (key === "pem") continue;
        walk(child, path === "" ? key : `${path}.${key}`);
      }
      return;
    }
    if (typeof value === "string" && value.includes("-----BEGIN")) return;
    emit(path, isPrimitive(value) ? primitiveText(value) : "");
  };
  const emit = (path: string, text: string): void => {
    if (summary.lines.length >= MAX_LINES) {
      summary.omitted += 1;
      return;
    }
    const clipped =
      text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
    summary.lines.push(`${path || "value"}: ${clipped === "" ? "—" : clipped}`);
  };
  walk(data, "");
  return summary;
}

type Primitive = string | number | boolean | null;

function isPrimitive(value: unknown): value is Primitive {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean"
  );
}

function primitiveText(value: Primitive): string {
  return value === null ? "null" : String(value);
}

function isFlatRecord(value: unknown): value is Record<string, Primitive> {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.values(value).every(isPrimitive)
  );
}

/** A record by its name ("TLS_AES_128_GCM_SHA256"), else its fields in short ("port=443 state=open"). */
function flatText(record: Record<string, Primitive>): string {
  const name = record.name;
  if (typeof name === "string" && name !== "") return name;
  return Object.entries(record)
    .map(([key, v]) => `${key}=${primitiveText(v)}`)
    .join(" ");
}

/** What names an element of a list in a path: its protocol, name, id, path or port. */
function labelOf(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ["protocol", "name", "id", "path", "port", "stage"]) {
    const label = record[key];
    if (typeof label === "string" || typeof label === "number")
      return String(label);
  }
  return undefined;
}

function isCertificateLike(value: unknown): value is CertificateInfo {
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.fingerprintSha256 === "string" &&
    typeof record.subject === "string" &&
    typeof record.issuer === "string"
  );
}

function chainTable(
  writer: CertificateWriter,
  path: string,
  certificates: CertificateInfo[],
): void {
  writer.paragraph(`Certificates (${path}):`, {
    font: "bold",
    size: 7.5,
    gap: 2,
  });
  writer.table(
    [
      { header: "#", width: 16, align: "right" },
      { header: "Subject / issuer", width: 170 },
      { header: "Valid", width: 62 },
      { header: "Key, signature", width: 82 },
      { header: "SHA-256 fingerprint", width: 169, font: "mono", size: 5.6 },
    ],
    certificates.map((c, i) => [
      String(i),
      `${c.subject}\nissued by ${c.issuer}${c.subjectAltNames.length === 0 ? "" : `\nSAN ${c.subjectAltNames.map((s) => s.value).join(", ")}`}`,
      `${c.notBefore.slice(0, 10)}\nto ${c.notAfter.slice(0, 10)}`,
      `${c.keyType.toUpperCase()} ${c.keyBits}${c.curve === "" ? "" : ` ${c.curve}`}\n${c.signatureAlgorithm}${c.selfSigned ? "\nself-signed" : ""}`,
      c.fingerprintSha256,
    ]),
    7,
  );
}

// ---- sign-off and the visible signature -------------------------------------------------------------------

function signOff(writer: CertificateWriter, context: Context): void {
  const { content, plan } = context;
  writer.y += 8;
  writer.ensureSpace(250);
  writer.heading("Sign-off", 2);
  writer.paragraph(
    `${content.engineer}${content.company === "" ? "" : ` of ${content.company}`} confirms that the checks in this certificate were carried out as recorded, from the vantages shown, with ${PRODUCT_NAME} ${content.toolVersion} applying rule catalog ${RULESET_VERSION}, and that the plant verdict is ${PLANT_VERDICT_STYLES[context.assessment.verdict].word}.${content.witnessName === "" ? "" : ` Witnessed by ${content.witnessName}.`}`,
    { size: 9 },
  );
  writer.labelValues(
    [
      ["Engineer", content.engineer],
      ["Company", orDash(content.company)],
      ["Witness", content.witnessName === "" ? "—" : content.witnessName],
      ["Date", formatTime(content.issuedAt.toISOString())],
    ],
    { size: 9, labelWidth: 90 },
  );
  writer.y += 6;

  const signer = content.signer;
  const lines: {
    text: string;
    font: "bold" | "condensed" | "mono";
    size: number;
    color?: string;
  }[] = [
    {
      text: `${plan.practice ? "PRACTICE SIGNATURE — " : ""}Digitally signed by ${commonName(signer.subject)}`,
      font: "bold",
      size: 10,
    },
    {
      text: `${signer.subject} · issued by ${signer.issuer}`,
      font: "condensed",
      size: 7.5,
    },
    {
      text: `Certificate SHA-256 ${signer.fingerprintSha256}`,
      font: "mono",
      size: 6.5,
    },
    {
      text: `Signed ${formatTime(content.issuedAt.toISOString())} by the laptop's clock · ${content.timeStampAuthorityName === null ? "PAdES baseline B-B" : `time-stamped by ${content.timeStampAuthorityName} · PAdES baseline B-T`} (ETSI.CAdES.detached, SHA-256) · certificate ${content.number}`,
      font: "condensed",
      size: 7.5,
    },
    {
      text: `To check it: open this file in a PAdES-capable reader, or run "cellcert verify <file> --ca <commissioning CA>.pem".`,
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
    writer.measure(line.text, line.font, line.size, innerWidth),
  );
  const blockHeight = heights.reduce((sum, h) => sum + h + 3, 0) + 16;
  writer.ensureSpace(blockHeight);
  const top = writer.y;
  const rect = {
    x: PAGE.left,
    y: top,
    width: CONTENT_WIDTH,
    height: blockHeight,
  };
  const doc = writer.doc;
  doc
    .rect(rect.x, rect.y, rect.width, rect.height)
    .lineWidth(1.2)
    .fillAndStroke("#f7f7f7", INK);
  let y = top + 8;
  lines.forEach((line, index) => {
    writer.textAt(
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

  addSignatureField(doc, {
    rect,
    fieldName: SIGNATURE_FIELD_NAME,
    signerName: commonName(signer.subject),
    reason: `${plan.practice ? "PRACTICE: " : ""}Commissioning certificate ${content.number}: ${context.assessment.verdict}`,
    location: [plan.plant.name, plan.plant.site]
      .filter((s) => s !== "")
      .join(", "),
    contactInfo: content.company,
    signingTime: content.issuedAt,
    contentsBytes: content.signatureRoom,
  });
}

// ---- small things -----------------------------------------------------------------------------------------

function orDash(text: string): string {
  return text === "" ? "—" : text;
}

/** "2026-03-02 10:14 UTC" */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
