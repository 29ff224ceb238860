// `npm run bench:report`: a 200-check plant (about 50 pages) laid out and signed. The parent makes the plan and
// the engineer identity; a fresh child process then does what `cellcert certify` does — read the plan and the
// PKCS#12, issue the certificate — first cold, then warm, and reports times and its peak RSS. Twice: PAdES B-B,
// and PAdES B-T time-stamped by a TSA on 127.0.0.1 that the parent runs (Cellcert's practice TSA, out of the
// child's memory and time but for its answers).
// Targets, both times: under 1.5 s warm, under 150 MB peak RSS.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePlanText } from "../shared/model/parse-plan";
import { serializePlan } from "../shared/model/serialize";
import { assessPlan } from "../shared/verdicts/rollup";
import { startTimeStampAuthority } from "../electron/demo/practice-tsa";
import {
  createCommissioningCa,
  createEngineerIdentity,
  createTimeStampingIdentity,
} from "../electron/engine/identity/create";
import { readPkcs12, writePkcs12 } from "../electron/engine/identity/pkcs12";
import { issueCertificate } from "../electron/engine/report/issue";
import { verifyCertificate } from "../electron/engine/signing/verify";
import {
  fixturePlan,
  TWO_HUNDRED_CHECKS,
} from "../test/support/certificate-plans";
import { median, peakRssMiB, printResult, timeRuns } from "./support";

const WARM_RUNS = 8;
const PASSPHRASE = "bench-passphrase";
const NOW = new Date("2026-03-02T15:00:00Z");

interface ChildFigures {
  coldMs: number;
  peakAfterColdMiB: number;
  warmMs: number[];
  peakAfterWarmMiB: number;
  verifyMs: number[];
  pages: number;
  pdfKiB: number;
  checks: number;
}

if (process.argv[2] === "--child")
  await child(process.argv[3] ?? "", process.argv[4]);
else await parent();

async function parent(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "cellcert-bench-"));
  try {
    const plan = await fixturePlan("good", TWO_HUNDRED_CHECKS);
    const made = new Date("2026-01-01T00:00:00Z");
    const ca = await createCommissioningCa({
      company: "Muñoz Automatización S.L.",
      now: made,
    });
    const engineer = await createEngineerIdentity({
      name: "Łukasz Nowak",
      company: "Muñoz Automatización S.L.",
      issuer: ca,
      now: made,
    });
    writeFileSync(join(folder, "plant.cellcert.json"), serializePlan(plan));
    writeFileSync(
      join(folder, "engineer.p12"),
      writePkcs12(engineer, PASSPHRASE),
    );
    writeFileSync(join(folder, "ca.pem"), ca.certificatePem);
    const tsa = await startTimeStampAuthority({
      address: "127.0.0.1",
      port: 0,
      identity: await createTimeStampingIdentity({
        name: "Bench TSA",
        company: "Muñoz Automatización S.L.",
        issuer: ca,
      }),
    });
    try {
      for (const [label, url] of [
        ["PAdES B-B", undefined],
        ["PAdES B-T, time-stamped by a loopback TSA", tsa.url],
      ] as const) {
        const figures = await runChild(folder, url);
        printResult(
          `report: ${figures.checks}-check plant, ${figures.pages} pages, generated and signed, ${label} (fresh process)`,
          {
            "first certificate (cold, ms)": Math.round(figures.coldMs),
            "peak RSS, first (MiB)": Math.round(figures.peakAfterColdMiB),
            [`median of ${WARM_RUNS} warm (ms)`]: Math.round(
              median(figures.warmMs),
            ),
            "slowest warm (ms)": Math.round(Math.max(...figures.warmMs)),
            [`peak RSS after ${WARM_RUNS} more (MiB)`]: Math.round(
              figures.peakAfterWarmMiB,
            ),
            "verify, median (ms)": Math.round(median(figures.verifyMs)),
            "PDF size (KiB)": figures.pdfKiB,
            targets: "warm < 1500 ms, peak RSS < 150 MiB",
          },
        );
      }
    } finally {
      await tsa.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The child, spawned asynchronously: the parent's event loop keeps answering as the TSA meanwhile. */
async function runChild(
  folder: string,
  tsaUrl: string | undefined,
): Promise<ChildFigures> {
  const started = spawn(
    process.execPath,
    [
      process.argv[1] ?? "",
      "--child",
      folder,
      ...(tsaUrl === undefined ? [] : [tsaUrl]),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  started.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  started.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) =>
    started.on("close", resolve),
  );
  if (code !== 0) throw new Error(`The benchmark's child failed:\n${stderr}`);
  return JSON.parse(stdout) as ChildFigures;
}

async function child(folder: string, tsaUrl?: string): Promise<void> {
  const text = readFileSync(join(folder, "plant.cellcert.json"), "utf8");
  const p12 = new Uint8Array(readFileSync(join(folder, "engineer.p12")));
  const ca = readFileSync(join(folder, "ca.pem"), "utf8");
  let pdf: Uint8Array = new Uint8Array();
  let checks = 0;
  const issueOnce = async (): Promise<void> => {
    // What `cellcert certify` does: parse the plan, open the identity, issue.
    const parsed = parsePlanText(text);
    if (!parsed.ok) throw new Error("The benchmark's plan does not parse.");
    checks = Object.values(assessPlan(parsed.plan).counts).reduce(
      (a, b) => a + b,
      0,
    );
    const identity = readPkcs12(p12, PASSPHRASE);
    const issued = await issueCertificate(parsed.plan, identity, {
      now: NOW,
      timeStampAuthority:
        tsaUrl === undefined ? null : { url: tsaUrl, practice: false },
    });
    if (tsaUrl !== undefined && issued.timeStamp === null)
      throw new Error("The benchmark's certificate was not time-stamped.");
    pdf = issued.pdf;
  };
  const [coldMs = 0] = await timeRuns(1, issueOnce);
  const peakAfterColdMiB = peakRssMiB();
  const warmMs = await timeRuns(WARM_RUNS, issueOnce);
  const peakAfterWarmMiB = peakRssMiB();
  const verifyMs = await timeRuns(5, async () => {
    const verified = await verifyCertificate(pdf, { caPems: [ca] });
    if (!verified.valid)
      throw new Error("The benchmark's certificate does not verify.");
    // B-T: the figure includes checking the token and the TSA's path (its TSA is under the same CA).
    if (tsaUrl !== undefined && verified.timeStamp?.status !== "checked")
      throw new Error("The benchmark's time-stamp was not checked.");
  });
  const figures: ChildFigures = {
    coldMs,
    peakAfterColdMiB,
    warmMs,
    peakAfterWarmMiB,
    verifyMs,
    pages: (
      Buffer.from(pdf)
        .toString("latin1")
        .match(/\/Type \/Page\b/g) ?? []
    ).length,
    pdfKiB: Math.round(pdf.length / 1024),
    checks,
  };
  process.stdout.write(JSON.stringify(figures));
}
