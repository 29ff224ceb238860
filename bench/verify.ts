// `npm run bench:verify`: `verify` of hostile certificates, each in a fresh process. The parent makes a practice
// certificate and the hostile files from it (test/support/hostile-pdfs.ts): the attacks that once stalled the
// reader or exhausted memory, and the same payloads grown to the upload limit. A child then verifies one file,
// once as `cellcert verify --ca` does and once as browser mode does with an upload (report:verify, in the verify
// worker), and reports its time, its exit code, its peak RSS and, for browser mode, how long the host's event
// loop was held up meanwhile.
// Targets: every file up to the upload limit in about 1 s, peak RSS under 300 MiB, a verdict (exit 1 or 2) and a
// sentence, never a stack trace.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { runCli } from "../electron/cli/program";
import { dispatch } from "../electron/engine/api/dispatch";
import { createWorkspaceEngine } from "../electron/engine/engine";
import { MAX_CERTIFICATE_BYTES } from "../electron/engine/signing/verify";
import type { CliIo } from "../electron/cli/io";
import {
  bombMiBFor,
  deflateBomb,
  payloads,
  practiceCertificate,
  signedWithEvidenceStream,
  signedWithPayload,
  type PayloadName,
  type PracticeCertificate,
} from "../test/support/hostile-pdfs";
import { printResult } from "./support";

const KB = 1000;
const MB = 1000 * 1000;
const UPLOAD_LIMIT_BYTES = MAX_CERTIFICATE_BYTES;
/** Built by `npm run bench:verify` (the CLI build) before this benchmark. */
const WORKER_ENTRY = resolve("out/cli/verify-worker.js");
const TIMEOUT_MS = Number(process.env.CELLCERT_BENCH_TIMEOUT_S ?? 60) * 1000;

interface ChildFigures {
  ms: number;
  peakRssMiB: number;
  exitCode: number;
  /** The first line the command printed (stdout, else stderr). */
  firstLine: string;
  stackTrace: boolean;
  /** Browser mode: the longest the host's event loop was held up meanwhile. */
  eventLoopDelayMs: number | null;
}

interface Case {
  name: string;
  make: (certificate: PracticeCertificate) => Uint8Array;
}

const withPayload =
  (payload: PayloadName, bytes: number) =>
  (certificate: PracticeCertificate): Uint8Array =>
    signedWithPayload(certificate, payloads[payload](bytes));

const withBomb =
  (compressedBytes: number) =>
  (certificate: PracticeCertificate): Uint8Array =>
    signedWithEvidenceStream(
      certificate,
      deflateBomb(bombMiBFor(compressedBytes)),
    );

/** What an attacker reported, at the sizes reported. */
const REPORTED: Case[] = [
  { name: "intact practice certificate", make: (c) => c.signed },
  {
    name: "unterminated literal strings, 180 KB",
    make: withPayload("unterminatedLiterals", 180 * KB),
  },
  {
    name: "unterminated literal strings, 360 KB",
    make: withPayload("unterminatedLiterals", 360 * KB),
  },
  {
    name: "unterminated hex strings, 90 KB",
    make: withPayload("unterminatedHex", 90 * KB),
  },
  { name: "digit run, 150 KB", make: withPayload("digitRun", 150 * KB) },
  {
    name: "deflate bomb evidence, 1.27 MB",
    make: withBomb(1.27 * MB),
  },
  {
    // Just under the 4 GiB a Node Buffer can hold: the old reader inflated it whole, then failed hashing it.
    name: "deflate bomb evidence, 4.3 MB",
    make: (c) => signedWithEvidenceStream(c, deflateBomb(4000)),
  },
];

/** Every payload grown to the upload limit. */
const AT_LIMIT: Case[] = [
  ...(Object.keys(payloads) as PayloadName[]).map((payload) => ({
    name: `${payload}, upload limit`,
    make: (c: PracticeCertificate) =>
      withPayload(payload, UPLOAD_LIMIT_BYTES - c.prepared.length - 64 * KB)(c),
  })),
  {
    name: "deflate bomb evidence, upload limit",
    make: (c: PracticeCertificate) =>
      withBomb(UPLOAD_LIMIT_BYTES - c.prepared.length - 64 * KB)(c),
  },
];

type Mode = "cli" | "host";
const MODES: Record<Mode, string> = {
  cli: "cellcert verify",
  host: "browser mode (worker)",
};

/** `CELLCERT_BENCH_MODES=host` runs one of them; an argument runs only the cases whose name contains it. */
const MODES_RUN = (process.env.CELLCERT_BENCH_MODES ?? "cli,host")
  .split(",")
  .filter((mode): mode is Mode => mode in MODES);

if (process.argv[2] === "--child")
  await child(
    process.argv[3] as Mode,
    process.argv[4] ?? "",
    process.argv[5] ?? "",
  );
else await parent();

async function parent(): Promise<void> {
  const only = process.argv[2];
  const folder = mkdtempSync(join(tmpdir(), "cellcert-bench-verify-"));
  try {
    const certificate = await practiceCertificate();
    const ca = join(folder, "ca.pem");
    writeFileSync(ca, certificate.caPem);
    const rows: Record<string, string> = {};
    let worstMs = 0;
    let worstRss = 0;
    let worstDelay = 0;
    for (const [index, item] of [...REPORTED, ...AT_LIMIT].entries()) {
      if (only !== undefined && !item.name.includes(only)) continue;
      const file = join(folder, `case-${index}.pdf`);
      const bytes = item.make(certificate);
      writeFileSync(file, bytes);
      for (const mode of MODES_RUN) {
        const run = spawnSync(
          process.execPath,
          [process.argv[1] ?? "", "--child", mode, file, ca],
          {
            encoding: "utf8",
            maxBuffer: 16 * 1024 * 1024,
            timeout: TIMEOUT_MS,
          },
        );
        const label = `${item.name} (${(bytes.length / MB).toFixed(2)} MB), ${MODES[mode]}`;
        if (run.error !== undefined || run.status !== 0) {
          rows[label] =
            run.signal === "SIGTERM"
              ? `more than ${TIMEOUT_MS / 1000} s (stopped)`
              : `the child failed (${run.signal ?? run.status}): ${(run.stderr || run.stdout).split("\n").slice(0, 3).join(" | ")}`;
          worstMs = Infinity;
          continue;
        }
        const figures = JSON.parse(run.stdout) as ChildFigures;
        worstMs = Math.max(worstMs, figures.ms);
        worstRss = Math.max(worstRss, figures.peakRssMiB);
        if (figures.eventLoopDelayMs !== null)
          worstDelay = Math.max(worstDelay, figures.eventLoopDelayMs);
        rows[label] =
          `${Math.round(figures.ms)} ms, ${Math.round(figures.peakRssMiB)} MiB${figures.eventLoopDelayMs === null ? "" : `, host stalled ≤ ${Math.round(figures.eventLoopDelayMs)} ms`}, exit ${figures.exitCode}${figures.stackTrace ? ", STACK TRACE" : ""}: ${figures.firstLine.slice(0, 100)}`;
      }
    }
    printResult("verify: hostile certificates, each in a fresh process", {
      ...rows,
      "slowest (ms)": Math.round(worstMs),
      "highest peak RSS (MiB)": Math.round(worstRss),
      "longest host stall (ms)": Math.round(worstDelay),
      targets:
        "each < ~1000 ms, peak RSS < 300 MiB, exit 0, 1 or 2 with a sentence, no stack trace",
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function child(mode: Mode, file: string, ca: string): Promise<void> {
  const measured =
    mode === "cli" ? await viaCli(file, ca) : await viaHost(file, ca);
  const printed = measured.lines.join("\n");
  const figures: ChildFigures = {
    ms: measured.ms,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    exitCode: measured.exitCode,
    firstLine: printed.split("\n")[0] ?? "",
    stackTrace: /\n\s+at /.test(printed),
    eventLoopDelayMs: measured.eventLoopDelayMs,
  };
  process.stdout.write(JSON.stringify(figures));
}

interface Measured {
  ms: number;
  exitCode: number;
  /** What the user was shown. */
  lines: string[];
  eventLoopDelayMs: number | null;
}

/** What `cellcert verify FILE --ca CA` does, in this process. */
async function viaCli(file: string, ca: string): Promise<Measured> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
    cwd: process.cwd(),
    rendererDir: "",
    resourcesDir: "",
    practiceEntry: "",
    verifyEntry: "",
    untilInterrupted: () => new Promise(() => undefined),
  };
  const start = performance.now();
  let exitCode: number;
  try {
    exitCode = await runCli(["verify", file, "--ca", ca], io);
  } catch (error) {
    // What the built command's entry would print.
    err.push(
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
    exitCode = 2;
  }
  return {
    ms: performance.now() - start,
    exitCode,
    lines: [...out, ...err],
    eventLoopDelayMs: null,
  };
}

/** What browser mode does with an uploaded certificate: report:verify through the contract, in the worker,
 * while the host's event loop is watched. Exit codes as the CLI would give them. */
async function viaHost(file: string, ca: string): Promise<Measured> {
  const workspace = mkdtempSync(join(tmpdir(), "cellcert-bench-host-"));
  const engine = createWorkspaceEngine({
    workspace,
    resourcesDir: "resources",
    env: {},
    verifyEntry: WORKER_ENTRY,
  });
  const input = {
    source: {
      kind: "upload" as const,
      fileName: basename(file),
      base64: readFileSync(file).toString("base64"),
    },
    caPems: [readFileSync(ca, "utf8")],
  };
  const stalls = watchStalls();
  const start = performance.now();
  const answer = await dispatch(engine.handlers, "report:verify", input, {
    error: () => undefined,
  });
  const ms = performance.now() - start;
  const longestStall = await stalls.stop();
  await engine.shutdown();
  rmSync(workspace, { recursive: true, force: true });
  return {
    ms,
    exitCode: answer.ok ? (answer.data.valid ? 0 : 1) : 2,
    lines: [
      answer.ok
        ? answer.data.valid
          ? "VALID"
          : `INVALID — ${answer.data.checks.find((c) => c.outcome === "fail")?.message ?? ""}`
        : `${answer.error.code}: ${answer.error.message}`,
    ],
    eventLoopDelayMs: longestStall,
  };
}

/** The longest time this thread's event loop went without running a 5 ms timer, less the 5 ms. */
function watchStalls(): { stop(): Promise<number> } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 5);
    last = now;
  }, 5);
  return {
    // One more tick first: a stall shows only when the timer runs again after it.
    stop: () =>
      new Promise((resolve) =>
        setTimeout(() => {
          clearInterval(timer);
          resolve(Math.max(0, longest));
        }, 20),
      ),
  };
}
