// Page 1 (DESIGN §10): plant, certificate number, the verdict stamp (with PRACTICE inside it for practice plants)
// and its counts, the earliest expiry of any certificate judged, the next audit date — or "re-test after
// remediation" for a plant not commissioned — the engineer, the signing identity, the instrument and the
// evidence's SHA-256.
import {
  GUIDE_TITLE,
  SYSTEM_REQUIREMENTS,
} from "../../../../shared/catalog/catalog";
import { PRODUCT_NAME, RULESET_VERSION } from "../../../../shared/product";
import { count, listing } from "../../../../shared/wording";
import type { PlantAssessment } from "../../../../shared/verdicts/rollup";
import { shortName } from "../../../../shared/evidence/distinguished-name";
import type { CertificateContext } from "../certificate-context";
import {
  CLOCK_NOTICE,
  EVIDENCE_FILE_NAME,
  EVIDENCE_SCHEMA,
  timeStampedClockNotice,
} from "../evidence";
import { certificatesIn } from "../evidence-summary";
import {
  daysBetween,
  formatTime,
  hashLines,
  orDash,
  relativeDays,
} from "../format";
import { instrumentText } from "./runs";
import {
  CONTENT_WIDTH,
  INK,
  MUTED,
  PAGE,
  type Cell,
  type CertificateWriter,
} from "../pdf-writer";
import {
  PLANT_VERDICT_STYLES,
  VERDICT_STYLES,
  type AnyVerdict,
} from "../verdict-styles";

export const PRACTICE_BANNER = "PRACTICE — NOT A COMMISSIONING CERTIFICATE";

export function cover(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { content, plan, assessment } = context;
  const top = PAGE.top - 6;
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
  writer.unbrokenAt(
    content.number,
    PAGE.left + CONTENT_WIDTH - 300,
    top + 11,
    300,
    "bold",
    11,
    INK,
    "right",
  );
  writer.textAt(
    plan.practice ? "PRACTICE CERTIFICATE" : "COMMISSIONING CERTIFICATE",
    PAGE.left,
    top + 32,
    CONTENT_WIDTH,
    "bold",
    21,
  );
  const subtitle = `Secure communication between the security cells of ${plan.plant.name}, judged against “${GUIDE_TITLE}”, rule catalog ${RULESET_VERSION}.`;
  writer.textAt(
    subtitle,
    PAGE.left,
    top + 58,
    CONTENT_WIDTH,
    "regular",
    8.5,
    MUTED,
  );
  writer.y =
    top + 58 + writer.measure(subtitle, "regular", 8.5, CONTENT_WIDTH) + 6;
  writer.rule(writer.y, 1.2);
  writer.y += 8;

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
    { size: 9.5, labelWidth: 120 },
  );
  writer.y += 6;
  stamp(writer, context);

  const failing = context.checks.filter((c) => c.verdict === "fail").length;
  const expiry = earliestExpiry(context);
  const signer = content.signer;
  const rows: [string, Cell][] = [
    [
      "Issued",
      `${formatTime(content.issuedAt.toISOString())}, by the laptop's clock${content.timeStampAuthorityName === null ? "" : "; the signature's time-stamp certifies the time"}`,
    ],
    [
      "Earliest certificate expiry",
      expiry === null
        ? "no certificate was judged"
        : {
            text: `${expiry.date}, ${expiry.name}, ${relativeDays(expiry.days)}`,
            font: expiry.days <= plan.policy.headroomDays ? "bold" : "regular",
          },
    ],
    assessment.verdict === "not commissioned"
      ? [
          "Next audit",
          {
            text: `re-test after remediation${failing === 0 ? "" : `: ${count(failing, "failing check")} to fix, listed under “Findings to fix”`}`,
            font: "bold",
          },
        ]
      : [
          "Next audit due",
          `${content.nextAuditDate} (${count(plan.policy.reauditMonths, "month")} after issue)`,
        ],
    ["Engineer", { text: content.engineer, font: "bold" }],
    ["Company", orDash(content.company)],
    [
      "Witness",
      content.witnessName === ""
        ? "none named"
        : `${content.witnessName} (named witness; the engineer alone signs)`,
    ],
    ["Signing identity", `${signer.subject}, issued by ${signer.issuer}`],
    [
      "Identity SHA-256",
      {
        text: hashLines(signer.fingerprintSha256, 16),
        font: "mono",
        nowrap: true,
      },
    ],
    [
      "Standard applied",
      `${GUIDE_TITLE}; IEC 62443-3-3 system requirements ${listing(Object.keys(SYSTEM_REQUIREMENTS).map((sr) => `SR ${sr}`))}; thresholds of Mozilla's “intermediate” TLS profile`,
    ],
    ["Instrument", instrumentSummary(context)],
    [
      "Evidence",
      `${EVIDENCE_FILE_NAME} (${EVIDENCE_SCHEMA}), attached to this PDF`,
    ],
    [
      "Evidence SHA-256",
      { text: content.evidenceSha256, font: "mono", nowrap: true },
    ],
  ];
  writer.labelValues(rows, { size: 8.5, labelWidth: 120 });
  writer.y += 4;
  const tsa = content.timeStampAuthorityName;
  writer.paragraph(tsa === null ? CLOCK_NOTICE : timeStampedClockNotice(tsa), {
    size: 7.5,
    color: MUTED,
    gap: 2,
  });
  writer.paragraph(
    `Signed by the engineer with a PAdES baseline ${tsa === null ? "B-B signature" : `B-T signature, time-stamped by ${tsa}`}; the signer's certificates${content.validationData.crls.length > 0 ? " and CRLs" : ""} are kept in the document (DSS) for verification years later. Any PAdES-capable reader, or “cellcert verify”, checks that nothing has changed since signing; the evidence file's SHA-256 above is part of the signed document information.`,
    { size: 7.5, color: MUTED },
  );
}

/** The plant verdict in a double frame: symbol and words, PRACTICE inside it for practice plants, the counts. */
function stamp(writer: CertificateWriter, context: CertificateContext): void {
  const { assessment } = context;
  const doc = writer.doc;
  const style = PLANT_VERDICT_STYLES[assessment.verdict];
  const inner = CONTENT_WIDTH - 24;
  const counts = countsLine(assessment);
  const practice = context.practice;
  const countsHeight = writer.measure(counts, "condensed", 8, inner);
  const height = 58 + (practice ? 18 : 0) + countsHeight;
  writer.ensureSpace(height + 8);
  const top = writer.y;
  doc
    .rect(PAGE.left, top, CONTENT_WIDTH, height)
    .lineWidth(2.5)
    .fillAndStroke(style.tint, style.color);
  doc
    .rect(PAGE.left + 4, top + 4, CONTENT_WIDTH - 8, height - 8)
    .lineWidth(0.8)
    .strokeColor(style.color)
    .stroke();
  writer.textAt(
    "PLANT VERDICT",
    PAGE.left,
    top + 10,
    CONTENT_WIDTH,
    "bold",
    8,
    style.color,
    "center",
  );
  writer.unbrokenAt(
    `${style.symbol} ${style.word}`,
    PAGE.left + 12,
    top + 22,
    inner,
    "bold",
    22,
    style.color,
    "center",
  );
  let y = top + 52;
  if (practice) {
    writer.textAt(
      PRACTICE_BANNER,
      PAGE.left,
      y,
      CONTENT_WIDTH,
      "bold",
      11,
      INK,
      "center",
    );
    y += 18;
  }
  writer.textAt(
    counts,
    PAGE.left + 12,
    y,
    inner,
    "condensed",
    8,
    INK,
    "center",
  );
  writer.y = top + height + 8;
}

/** "8 boundaries in scope: 7 pass, 1 warn · 52 checks: ✔ 45 pass, ▲ 1 warn, ✎ 3 attested" */
export function countsLine(assessment: PlantAssessment): string {
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
  return `${count(inScope.length, "boundary", "boundaries")} in scope: ${byVerdict.join(", ") || "none judged"} · ${count(total, "check")}: ${checks.join(", ") || "none"}`;
}

/** The instrument of the runs, said once when every run used the same. */
function instrumentSummary(context: CertificateContext): string {
  const runs = context.plan.runs;
  const texts = [...new Set(runs.map((run) => instrumentText(run)))];
  const vantages = [...new Set(runs.map((run) => run.vantage))];
  const from =
    runs.length === 0
      ? "no run recorded"
      : `${count(runs.length, "run")} from the ${listing(vantages)} ${vantages.length === 1 ? "vantage" : "vantages"}`;
  if (texts.length === 1)
    return `${texts[0] ?? ""}; rule catalog ${RULESET_VERSION}; ${from}`;
  return `${texts.length === 0 ? `${PRODUCT_NAME} ${context.content.toolVersion}` : "different per run (see “Runs and the instrument”)"}; rule catalog ${RULESET_VERSION}; ${from}`;
}

/** The first certificate to expire among those the latest results judged. */
function earliestExpiry(
  context: CertificateContext,
): { date: string; name: string; days: number } | null {
  let earliest: { date: string; name: string; days: number } | null = null;
  const seen = new Set<string>();
  for (const item of context.checks)
    for (const { evidence } of context.evidenceOf(item))
      for (const certificate of certificatesIn(evidence.data)) {
        if (seen.has(certificate.fingerprintSha256)) continue;
        seen.add(certificate.fingerprintSha256);
        const notAfter = new Date(certificate.notAfter);
        if (Number.isNaN(notAfter.getTime())) continue;
        if (
          earliest !== null &&
          certificate.notAfter.slice(0, 10) >= earliest.date
        )
          continue;
        earliest = {
          date: certificate.notAfter.slice(0, 10),
          name: shortName(certificate.subject),
          days: daysBetween(context.content.issuedAt, notAfter),
        };
      }
  return earliest;
}
