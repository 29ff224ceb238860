// npm run bench:tls — the full TLS server profile of one loopback endpoint (raw-hello protocol and suite
// enumeration, the full handshake, the six checks), median of several runs and peak RSS; and, where sslscan is
// installed, sslscan against the same server in the same run, with the ratio. Target: faster than sslscan.
// The server runs in a child process so its work is not counted in Cellcert's memory.
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { createPracticePki } from "../electron/demo/pki";
import {
  startTlsServer,
  type RunningServer,
} from "../electron/demo/tls-servers";
import { HostLimiter } from "../electron/engine/net";
import { judgeTlsProfile } from "../electron/engine/rules/tls-profile";
import { probeTls } from "../electron/engine/protocols/tls";
import { median, peakRssMiB, printResult, timeRuns } from "./support";

const RUNS = Number(process.env.CELLCERT_BENCH_RUNS ?? 7);
const SSLSCAN_RUNS = Number(process.env.CELLCERT_BENCH_SSLSCAN_RUNS ?? 5);
const NAME = "mes01.plant.local";

/** The endpoints benchmarked: a server with Node's default settings, and a legacy one. */
const ENDPOINTS = {
  "Node defaults (TLS 1.2-1.3)": {},
  "legacy (TLS 1.0-1.3, security level 0)": {
    minVersion: "TLSv1",
    securityLevel: 0,
    ciphers: "ALL",
  },
} as const;

interface Plant {
  rootPem: string;
  servers: { name: string; port: number }[];
}

/** The child: starts the servers, prints where they are, and stops when its parent closes stdin. */
async function serve(): Promise<void> {
  const pki = createPracticePki({ name: "Bench Plant" });
  const leaf = pki.issueLeaf({ commonName: NAME, ipAddresses: ["127.0.0.1"] });
  const servers: (RunningServer & { name: string })[] = [];
  for (const [name, options] of Object.entries(ENDPOINTS)) {
    const server = await startTlsServer({
      chain: pki.chainOf(leaf),
      // Node's own default cipher list, unless the endpoint says otherwise.
      ciphers: "DEFAULT",
      ...options,
    });
    servers.push({ ...server, name });
  }
  const plant: Plant = {
    rootPem: pki.root.pem,
    servers: servers.map((s) => ({ name: s.name, port: s.port })),
  };
  process.stdout.write(`${JSON.stringify(plant)}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void Promise.all(servers.map((s) => s.close())).then(() => process.exit(0));
  });
}

async function startPlant(): Promise<{ plant: Plant; stop: () => void }> {
  const child = spawn(process.execPath, [process.argv[1] ?? "", "--serve"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", () =>
      reject(new Error("The bench server did not start.")),
    );
  });
  return {
    plant: JSON.parse(first) as Plant,
    stop: () => {
      child.stdin.end();
      lines.close();
    },
  };
}

function sslscanVersion(): string | null {
  const result = spawnSync("sslscan", ["--version"], { encoding: "utf8" });
  if (result.error !== undefined || result.status !== 0) return null;
  return /\d+\.\d+\.\d+/.exec(result.stdout)?.[0] ?? "unknown";
}

function runSslscan(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("sslscan", [...args], { stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", () => resolve());
  });
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const { plant, stop } = await startPlant();
  const sslscan = sslscanVersion();
  const summary: Record<string, string | number> = {};
  try {
    for (const server of plant.servers) {
      let connections = 0;
      let suitesFound = 0;
      const profile = async (): Promise<void> => {
        const evidence = await probeTls(
          { host: "127.0.0.1", port: server.port, serverName: NAME },
          {
            endpointKind: "tls",
            policy: {
              timeoutMs: 5000,
              maxConnectionsPerHost: 2,
              maxConnections: 16,
            },
            limiter: new HostLimiter(),
          },
        );
        const outcomes = await judgeTlsProfile("", evidence, {
          anchorsPem: [plant.rootPem],
          publicRoots: false,
          policy: {},
          now: new Date(),
        });
        if (outcomes.length !== 6)
          throw new Error("The profile is not six checks.");
        connections = evidence.timings.connections;
        suitesFound = evidence.protocols.reduce(
          (sum, p) => sum + (p.accepted === true ? p.suites.length : 0),
          0,
        );
      };
      await profile(); // warm-up: module loading, the public roots, the JIT
      const cellcert = median(await timeRuns(RUNS, profile));
      const figures: Record<string, string | number> = {
        "Cellcert, median": `${ms(cellcert)} (${RUNS} runs, ${connections} connections, at most 2 at a time)`,
      };
      if (sslscan === null) {
        figures.sslscan = "not installed: no comparison";
      } else {
        const target = `127.0.0.1:${server.port}`;
        // A sanity check: sslscan really scanned (it lists accepted suites), so its time means something.
        const once = spawnSync(
          "sslscan",
          ["--no-colour", `--sni-name=${NAME}`, target],
          { encoding: "utf8" },
        );
        const acceptedLines = once.stdout
          .split("\n")
          .filter((line) => /^(Preferred|Accepted)\s/.test(line)).length;
        if (acceptedLines === 0)
          throw new Error(
            `sslscan found no suites on ${target}:\n${once.stdout}`,
          );
        const full = median(
          await timeRuns(SSLSCAN_RUNS, () =>
            runSslscan(["--no-colour", `--sni-name=${NAME}`, target]),
          ),
        );
        const lean = median(
          await timeRuns(SSLSCAN_RUNS, () =>
            runSslscan([
              "--no-colour",
              `--sni-name=${NAME}`,
              "--no-groups",
              "--no-heartbleed",
              "--no-compression",
              "--no-renegotiation",
              "--no-fallback",
              target,
            ]),
          ),
        );
        figures[`sslscan ${sslscan}, median`] =
          `${ms(full)} (${SSLSCAN_RUNS} runs, default checks)`;
        figures["suites found"] =
          `Cellcert ${suitesFound}, sslscan ${acceptedLines}${suitesFound === acceptedLines ? " (the same count)" : ""}`;
        figures["sslscan, ciphers + cert only"] =
          `${ms(lean)} (--no-groups --no-heartbleed …)`;
        figures["ratio sslscan / Cellcert"] =
          `${(full / cellcert).toFixed(1)}× (${(lean / cellcert).toFixed(1)}× against the lean run)`;
        summary[server.name] = `${ms(cellcert)} vs sslscan ${ms(full)}`;
      }
      printResult(
        `TLS server profile, one loopback endpoint: ${server.name}`,
        figures,
      );
    }
    printResult("Cellcert process", {
      "peak RSS": `${peakRssMiB().toFixed(0)} MiB`,
    });
  } finally {
    stop();
  }
}

if (process.argv.includes("--serve")) {
  void serve();
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
