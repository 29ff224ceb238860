// "Runs and the instrument": every run once — vantage, source address and whether it lies in the vantage's cell,
// times, what it measured, the laptop clock's skew, the instrument as running text — with runs whose results were
// all measured again later, or that were stopped, summarised on one line.
import type { Run } from "../../../../shared/model/plan";
import { PRODUCT_NAME } from "../../../../shared/product";
import { count } from "../../../../shared/wording";
import type { CertificateContext } from "../certificate-context";
import { formatTime, signedSeconds } from "../format";
import { MUTED, type Cell, type CertificateWriter } from "../pdf-writer";

/** "Cellcert 0.2.0 (build 1a2b3c4), Node v20.20.2, OpenSSL 3.0.15+quic, Debian 12" */
export function instrumentText(
  run: Pick<Run, "toolVersion" | "instrument">,
): string {
  const instrument = run.instrument;
  if (instrument === undefined)
    return `${PRODUCT_NAME} ${run.toolVersion} (its build, runtime and operating system were not recorded in this run)`;
  return `${PRODUCT_NAME} ${run.toolVersion} (build ${instrument.build}), Node ${instrument.node}${instrument.electron === undefined ? "" : ` in Electron ${instrument.electron}`}, OpenSSL ${instrument.openssl}, ${instrument.os}`;
}

export function runsSection(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { plan } = context;
  const runs = [...plan.runs].sort((a, b) => a.sequence - b.sequence);
  const current = new Set(
    context.checks.flatMap((c) => (c.run === null ? [] : [c.run.id])),
  );
  const columns = [
    { header: "Run", width: 26 },
    { header: "Vantage and source address", width: 128 },
    { header: "Time (laptop clock)", width: 78 },
    { header: "Measured", width: 92 },
    { header: "Clock skew", width: 60 },
    { header: "Instrument", width: 115 },
  ];
  const rows: Cell[][] = runs.map((run) => {
    const source = context.source(run);
    const stillCounts = run.results.filter((r) =>
      context.checks.some(
        (c) =>
          c.run?.id === run.id &&
          c.check.id === r.checkId &&
          c.endpoint.id === r.endpointId,
      ),
    ).length;
    const superseded = !current.has(run.id);
    return [
      { text: String(run.sequence), font: "bold" },
      {
        text: `${run.vantage}\n${source.address ?? "the system's address"} ${source.text}`,
        color: source.inside ? undefined : "#8a5a00",
      },
      `${formatTime(run.startedAt)}\nto ${run.finishedAt === undefined ? "—" : formatTime(run.finishedAt).slice(11)}`,
      `${run.status}${run.scope.kind === "check" ? `, one check (${run.scope.checkId} on ${run.scope.endpointId})` : ""}; ${count(run.results.length, "result")}, ${count(run.evidence.length, "evidence record")}${superseded ? "; every result measured again later" : stillCounts === run.results.length ? "" : `; ${stillCounts} still count`}`,
      run.laptop.clockSkewMs === undefined
        ? "not measured"
        : `${signedSeconds(run.laptop.clockSkewMs)} against the servers' clocks`,
      instrumentText(run),
    ];
  });
  writer.heading(
    "Runs and the instrument",
    1,
    runs.length === 0 ? 20 : writer.tableLeadHeight(columns, rows),
  );
  if (runs.length === 0) {
    writer.paragraph("No run was recorded.");
    return;
  }
  writer.table(columns, rows, { size: 7 });
  const laptops = [
    ...new Set(
      runs.map(
        (run) =>
          `${run.laptop.hostName}: ${run.laptop.addresses.map((a) => `${a.interface} ${a.cidr === "" ? a.address : a.cidr}`).join(", ") || "no address"}`,
      ),
    ),
  ];
  writer.paragraph(
    `The laptop${laptops.length === 1 ? "" : "s"} and ${laptops.length === 1 ? "its" : "their"} addresses as the operating system reported them: ${laptops.join("; ")}. Clock skew is the laptop clock minus the time the servers sent (HTTP Date headers, OPC UA response timestamps), the median per run; every time in this certificate is the laptop's.`,
    { size: 7.5, color: MUTED },
  );
}
