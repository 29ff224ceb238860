// "Evidence": the records behind the latest results, run by run, each under its id R<run>-E<n> (the same in the
// attached evidence file) with the checks it proves, as curated tables that are never cut. Records whose every
// result was measured again later are named, not repeated.
import type { Evidence, Run } from "../../../../shared/model/plan";
import { listing } from "../../../../shared/wording";
import type { CertificateContext } from "../certificate-context";
import { shownCheckVerdict } from "../check-lines";
import { EVIDENCE_FILE_NAME } from "../evidence";
import { summarizeEvidence, type EvidenceBlock } from "../evidence-summary";
import { formatTime } from "../format";
import { MUTED, type CertificateWriter } from "../pdf-writer";
import { VERDICT_STYLES } from "../verdict-styles";

const PROBE_WORDS: Record<string, string> = {
  tls: "TLS server profile",
  https: "HTTPS paths",
  http: "plain HTTP",
  mtls: "client certificates",
  tcp: "TCP ports",
  firewall: "firewall ports",
  mssql: "SQL Server",
  opcua: "OPC UA",
};

export function evidenceSection(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { plan } = context;
  const proves = new Map<string, string[]>();
  for (const item of context.checks)
    for (const ref of context.refsOf(item)) {
      const style = VERDICT_STYLES[shownCheckVerdict(item)];
      proves.set(ref, [
        ...(proves.get(ref) ?? []),
        `${item.check.id} ${style.symbol}`,
      ]);
    }
  const runs = [...plan.runs].sort((a, b) => a.sequence - b.sequence);
  // Shown: what a latest result rests on, and the latest record of each endpoint and probe; the rest was
  // measured again in a later run.
  const latest = new Map<string, string>();
  for (const run of runs)
    for (const record of run.evidence)
      latest.set(
        `${record.endpointId}\u0000${record.probe}`,
        context.ref(run.id, record.id),
      );
  const shownRefs = new Set([...proves.keys(), ...latest.values()]);
  const intro = `The observations behind the latest results, run by run. Each record keeps its id (R<run>-E<n>) in the attached ${EVIDENCE_FILE_NAME}, which holds every field and each certificate in PEM; its SHA-256 is on page 1.`;
  writer.heading(
    "Evidence",
    1,
    writer.paragraphHeight(intro, { size: 8 }) + 60,
  );
  writer.paragraph(intro, { size: 8, color: MUTED });
  const left: string[] = [];
  let shown = 0;
  for (const run of runs) {
    const records = run.evidence.filter((e) =>
      shownRefs.has(context.ref(run.id, e.id)),
    );
    left.push(
      ...run.evidence
        .filter((e) => !records.includes(e))
        .map((e) => context.ref(run.id, e.id)),
    );
    if (records.length === 0) continue;
    const source = context.source(run);
    const title = `Run ${run.sequence} — ${run.vantage} vantage, from ${source.address ?? "the system's address"}`;
    const first = records[0];
    const firstBlocks =
      first === undefined ? [] : blocksOf(context, run, first);
    writer.heading(
      title,
      2,
      recordLeadHeight(writer, context, run, first, firstBlocks, proves),
    );
    records.forEach((record, index) =>
      drawRecord(
        writer,
        context,
        run,
        record,
        index === 0 ? firstBlocks : blocksOf(context, run, record),
        proves,
      ),
    );
    shown += records.length;
  }
  if (shown === 0) writer.paragraph("No evidence was recorded.");
  if (left.length > 0)
    writer.paragraph(
      `Records of a probe made again on the same endpoint in a later run, kept in ${EVIDENCE_FILE_NAME} and not repeated here: ${listing(left)}.`,
      { size: 7.5, color: MUTED },
    );
}

function blocksOf(
  context: CertificateContext,
  run: Run,
  evidence: Evidence,
): EvidenceBlock[] {
  return summarizeEvidence(evidence, {
    run,
    endpoint: context.endpoints.get(evidence.endpointId),
    minimumTlsVersion: context.plan.policy.minimumTlsVersion,
  });
}

function recordTitle(
  context: CertificateContext,
  run: Run,
  evidence: Evidence,
): string {
  const endpoint = context.endpoints.get(evidence.endpointId);
  return `${context.ref(run.id, evidence.id)} · ${PROBE_WORDS[evidence.probe] ?? evidence.probe} · ${endpoint === undefined ? evidence.endpointId : `${endpoint.name} (${endpoint.id})`} · ${evidence.target}`;
}

function recordLine(
  run: Run,
  evidence: Evidence,
  proves: readonly string[],
): string {
  const what =
    proves.length === 0
      ? "No latest result rests on it."
      : `Proves ${listing(proves)}.`;
  return `${what} Started ${formatTime(evidence.startedAt)}, ${Math.round(evidence.durationMs)} ms, in run ${run.sequence}.`;
}

function firstBlockHeight(
  writer: CertificateWriter,
  block: EvidenceBlock | undefined,
): number {
  if (block === undefined) return 0;
  return block.kind === "text"
    ? writer.paragraphHeight(block.text, { size: 7.5, gap: 3 })
    : writer.tableLeadHeight(block.columns, block.rows, {
        size: 7,
        caption: block.caption,
      });
}

function recordLeadHeight(
  writer: CertificateWriter,
  context: CertificateContext,
  run: Run,
  evidence: Evidence | undefined,
  blocks: readonly EvidenceBlock[],
  proves: ReadonlyMap<string, string[]>,
): number {
  if (evidence === undefined) return 20;
  const ref = context.ref(run.id, evidence.id);
  return (
    writer.headingHeight(recordTitle(context, run, evidence), 3) +
    writer.paragraphHeight(recordLine(run, evidence, proves.get(ref) ?? []), {
      size: 7,
      gap: 3,
    }) +
    firstBlockHeight(writer, blocks[0]) +
    (blocks[0]?.kind === "text" ? firstBlockHeight(writer, blocks[1]) : 0)
  );
}

function drawRecord(
  writer: CertificateWriter,
  context: CertificateContext,
  run: Run,
  evidence: Evidence,
  blocks: readonly EvidenceBlock[],
  proves: ReadonlyMap<string, string[]>,
): void {
  const ref = context.ref(run.id, evidence.id);
  const line = recordLine(run, evidence, proves.get(ref) ?? []);
  const lead =
    writer.paragraphHeight(line, { size: 7, gap: 3 }) +
    firstBlockHeight(writer, blocks[0]) +
    (blocks[0]?.kind === "text" ? firstBlockHeight(writer, blocks[1]) : 0);
  writer.heading(recordTitle(context, run, evidence), 3, lead);
  writer.paragraph(line, { size: 7, color: MUTED, gap: 3 });
  blocks.forEach((block, index) => {
    if (block.kind === "text")
      writer.paragraph(block.text, {
        size: 7.5,
        gap: 3,
        keepWith: firstBlockHeight(writer, blocks[index + 1]),
      });
    else
      writer.table(block.columns, block.rows, {
        size: 7,
        caption: block.caption,
      });
  });
}
