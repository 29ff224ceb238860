// "Scope, method and limitations" (DESIGN §10): what was and was not examined and why, how it was probed, what a
// probe from a vantage cannot show, what rests on the engineer's word, then the cell networks and the endpoint
// inventory.
import { PRODUCT_NAME, RULESET_VERSION } from "../../../../shared/product";
import { runsMeasuring } from "../../../../shared/model/endpoint-removal";
import { attestationNote, count, listing } from "../../../../shared/wording";
import type { CertificateContext } from "../certificate-context";
import { formatTime } from "../format";
import type { Cell, CertificateWriter, Column } from "../pdf-writer";

export function scopeSection(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { plan, assessment } = context;
  const inScope = assessment.boundaries.filter((b) => b.inScope);
  const outOfScope = assessment.boundaries.filter((b) => !b.inScope);
  const live = plan.endpoints.filter((e) => e.retired !== true);
  const runs = [...plan.runs].sort((a, b) => a.sequence - b.sequence);
  const first = runs[0];
  const last = runs.at(-1);
  const scope = `Scope: ${count(inScope.length, "boundary", "boundaries")} of the rule catalog (${listing(inScope.map((b) => b.boundary.id))}), ${count(live.length, "endpoint")} in ${count(plan.cells.length, "cell")} of ${plan.plant.name}, measured in ${count(runs.length, "run")}${first === undefined || last === undefined ? "" : ` from ${formatTime(first.startedAt)} to ${formatTime(last.finishedAt ?? last.startedAt)}`}.${outOfScope.length === 0 ? " Every boundary of the catalog is in scope." : ` Out of scope: ${outOfScope.map((b) => `${b.boundary.id} (${b.outOfScopeReason || "no reason given"})`).join("; ")}.`}`;
  const method = `Method: ${PRODUCT_NAME} probes each endpoint from the vantage the rule catalog names, binding the vantage's own source address, and judges what it observes against the thresholds of rule catalog ${RULESET_VERSION} (those of Mozilla’s “intermediate” TLS profile). It sends what a client would: TCP connections to the listed ports only (never a port sweep), TLS ClientHellos for every protocol version and suite to TLS endpoints only, HTTP requests to the listed paths, the three client-certificate trials, a SQL Server PRELOGIN, an OPC UA GetEndpoints. At most two connections per host at a time, short timeouts. Refused and filtered connections count as measurements where a port must be closed.`;
  const limitations = `Limitations: a probe sees what an endpoint shows to that vantage at that moment, not its configuration; reachability is judged from the vantages used, not from every network. Certificates are not fetched from the network (no CRL distribution points, AIA or OCSP responders): revocation rests on the plan's CRLs and the OCSP responses servers staple. Times are the laptop's clock. Checks marked attested rest on the engineer's statement below. This is not a penetration test: no credentials are guessed and no vulnerability is exploited.`;
  writer.heading(
    "Scope, method and limitations",
    1,
    writer.paragraphHeight(scope) + 20,
  );
  for (const text of [scope, method, limitations])
    writer.paragraph(text, { size: 8 });
  const placeholders = live.filter((e) => e.placeholder);
  if (placeholders.length > 0)
    writer.paragraph(
      `Still placeholders from the plant template, not probed: ${listing(placeholders.map((e) => `${e.name} (${e.id})`))}.`,
      { size: 8 },
    );
  for (const endpoint of plan.endpoints.filter((e) => e.retired === true))
    writer.paragraph(
      `Retired: ${endpoint.name} (${endpoint.id}) was removed from the plan after it was probed; its results stay in ${count(runsMeasuring(plan, endpoint.id).length, "run")} (${runsMeasuring(plan, endpoint.id).join(", ")}) and in the evidence file, and no longer count.`,
      { size: 8 },
    );

  attestations(writer, context);
  cellNetworks(writer, context);
  inventory(writer, context);
}

function attestations(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { plan } = context;
  const columns: Column[] = [
    { header: "Check", width: 122 },
    { header: "Endpoint", width: 90 },
    { header: "Statement", width: 212 },
    { header: "Counts?", width: 75 },
  ];
  const rows: Cell[][] = plan.attestations.map((a) => {
    const item = context.checks.find(
      (c) => c.check.id === a.checkId && c.endpoint.id === a.endpointId,
    );
    const counts =
      item === undefined
        ? "no: not in scope"
        : item.verdict === "attested"
          ? "yes"
          : a.contradictedByRun !== undefined
            ? `no: run ${a.contradictedByRun} measured a failure`
            : `no: measured ${item.verdict}${item.run === null ? "" : ` in run ${item.run.sequence}`}`;
    return [
      { text: a.checkId, font: "condensedBold", nowrap: true },
      a.endpointId,
      `${attestationNote({ ...a, contradictedByRun: undefined })}${a.notes === "" ? "" : ` Notes: ${a.notes}`}`,
      counts,
    ];
  });
  const counted = rows.filter((r) => r[3] === "yes").length;
  const caption = `Attested by the engineer, not measured (${count(plan.attestations.length, "attestation")}, ${counted} counted)`;
  if (rows.length === 0) {
    writer.paragraph("Nothing was attested: every result was measured.", {
      size: 8,
    });
    return;
  }
  writer.table(columns, rows, { size: 7, caption });
}

function cellNetworks(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { plan } = context;
  const columns: Column[] = [
    { header: "Cell (zone)", width: 110 },
    { header: "Kind", width: 80 },
    { header: "Networks", width: 150 },
    { header: "Vantages standing in it", width: 159 },
  ];
  const rows: Cell[][] = plan.cells.map((cell) => {
    const vantages = plan.vantages.filter((v) => v.cell === cell.id);
    return [
      { text: `${cell.name} (${cell.id})`, font: "condensedBold" },
      cell.kind,
      cell.networks.join(", ") || "none given",
      vantages.length === 0
        ? "—"
        : vantages
            .map(
              (v) =>
                `${v.id}${v.sourceAddress === undefined ? "" : ` from ${v.sourceAddress}`}${v.interface === undefined ? "" : ` on ${v.interface}`}`,
            )
            .join("\n"),
    ];
  });
  writer.table(columns, rows, { size: 7, caption: "Cell networks" });
}

function inventory(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { plan } = context;
  const columns: Column[] = [
    { header: "Endpoint", width: 112 },
    { header: "Kind", width: 52 },
    { header: "Address (server name)", width: 130 },
    { header: "Cell", width: 70 },
    { header: "Boundary", width: 50 },
    { header: "Paths, ports, options", width: 85 },
  ];
  const rows: Cell[][] = plan.endpoints
    .filter((e) => e.retired !== true)
    .map((e) => {
      const options = [
        !["https", "mtls-https", "http-plain"].includes(e.kind) ||
        e.paths.length === 0
          ? ""
          : `paths ${e.paths.join(", ")}`,
        e.allowedPorts.length === 0
          ? ""
          : `allowed ${e.allowedPorts.join(", ")}`,
        e.deniedPorts.length === 0 ? "" : `denied ${e.deniedPorts.join(", ")}`,
        e.publicRoots ? "public roots allowed" : "",
        e.guideline === "" ? "" : `guideline: ${e.guideline}`,
        e.placeholder ? "placeholder" : "",
      ].filter((o) => o !== "");
      return [
        { text: `${e.name}\n(${e.id})`, font: "condensed" },
        e.kind,
        context.target(e),
        context.cellName(e.cell),
        e.boundary,
        options.join("; ") || "—",
      ];
    });
  writer.table(columns, rows, { size: 7, caption: "Endpoint inventory" });
}
