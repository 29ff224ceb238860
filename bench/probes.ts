// npm run bench:probes — 200 loopback HTTPS endpoints (one host each, 127.0.20.1–200) through the runner from
// one vantage: the TLS server profile, each path over HTTPS and plain HTTP. Wall time, time per endpoint, peak
// RSS. Targets: under 10 s and under 300 MB. The servers run in a child process, as a plant's would elsewhere.
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createPracticePki, pemBundle } from "../electron/demo/pki";
import {
  startWebServer,
  type RunningWebServer,
} from "../electron/demo/web-servers";
import { createWorkspaceEngine } from "../electron/engine/engine";
import type { Plan } from "../shared/model/plan";
import { peakRssMiB, printResult } from "./support";

const ENDPOINTS = Number(process.env.CELLCERT_BENCH_ENDPOINTS ?? 200);
const address = (i: number): string => `127.0.20.${i + 1}`;

interface Plant {
  rootPem: string;
  servers: { address: string; port: number }[];
}

/** The child: starts the servers, says where they are, and stops when its parent closes stdin. */
async function serve(): Promise<void> {
  const pki = createPracticePki({ name: "Bench Plant" });
  const leaf = pki.issueLeaf({
    commonName: "mes.bench.invalid",
    ipAddresses: Array.from({ length: ENDPOINTS }, (_, i) => address(i)),
  });
  const servers: RunningWebServer[] = [];
  for (let i = 0; i < ENDPOINTS; i++) {
    servers.push(
      await startWebServer({
        address: address(i),
        tls: {
          key: leaf.key.privateKeyPem,
          cert: pemBundle(pki.chainOf(leaf)),
          ciphers:
            "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305",
        },
        hsts: "max-age=31536000",
        routes: {
          "/": { status: 200, body: "MES" },
          "/Opcenter": { status: 200, body: "app" },
        },
      }),
    );
  }
  const plant: Plant = {
    rootPem: pki.root.pem,
    servers: servers.map((s) => ({ address: s.address, port: s.port })),
  };
  process.stdout.write(`${JSON.stringify(plant)}\n`);
  process.stdin.resume();
  process.stdin.on(
    "end",
    () =>
      void Promise.all(servers.map((s) => s.close())).then(() =>
        process.exit(0),
      ),
  );
}

async function startPlant(): Promise<{ plant: Plant; stop: () => void }> {
  const child = spawn(process.execPath, [process.argv[1] ?? "", "--serve"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) =>
      reject(new Error(`the bench plant exited with ${code}`)),
    );
  });
  return { plant: JSON.parse(line) as Plant, stop: () => child.stdin.end() };
}

async function main(): Promise<void> {
  const { plant, stop } = await startPlant();
  const workspace = mkdtempSync(join(tmpdir(), "cellcert-bench-probes-"));
  const engine = createWorkspaceEngine({
    workspace,
    resourcesDir: "resources",
    env: {},
  });
  try {
    const document = await engine.context.plans.create("Bench plant");
    if (document === null) throw new Error("no plan");
    const plan: Plan = structuredClone(document.plan);
    const template = plan.endpoints.find((e) => e.id === "mes-site");
    if (template === undefined) throw new Error("template without mes-site");
    plan.endpoints = plant.servers.map((server, i) => ({
      ...template,
      id: `mes-site-${i + 1}`,
      name: `MES site ${i + 1}`,
      host: server.address,
      port: server.port,
      paths: ["/", "/Opcenter"],
      placeholder: false,
    }));
    const root = new X509Certificate(plant.rootPem);
    plan.trustAnchors = [
      {
        id: "bench-root",
        name: "Bench Plant Root CA",
        pem: plant.rootPem,
        subject: root.subject,
        fingerprintSha256: root.fingerprint256,
      },
    ];
    plan.boundaries = plan.boundaries.map((b) => ({
      ...b,
      inScope: b.id === "IIS-BIND",
    }));
    engine.context.plans.update(plan, document.revision);

    const started = performance.now();
    const progress = await engine.context.runner.start({
      vantage: "perimeter",
    });
    await engine.context.runner.idle();
    const wallMs = performance.now() - started;
    const run = engine.context.plans.current()?.plan.runs.at(-1);
    const verdicts = new Map<string, number>();
    for (const result of run?.results ?? [])
      verdicts.set(result.verdict, (verdicts.get(result.verdict) ?? 0) + 1);
    printResult(
      `bench:probes — ${ENDPOINTS} loopback HTTPS endpoints, perimeter vantage, ${progress.total} checks`,
      {
        "wall time": `${(wallMs / 1000).toFixed(2)} s (target < 10 s)`,
        "per endpoint": `${(wallMs / ENDPOINTS).toFixed(1)} ms`,
        "peak RSS": `${peakRssMiB().toFixed(0)} MiB (target < 300 MiB)`,
        "run status": run?.status ?? "none",
        verdicts: [...verdicts].map(([v, n]) => `${n} ${v}`).join(", "),
      },
    );
    const notPassing = (run?.results ?? []).filter((r) => r.verdict !== "pass");
    for (const result of notPassing.slice(0, 3)) {
      process.stdout.write(
        `  not passing: ${result.checkId} ${result.endpointId}: ${result.message}\n`,
      );
    }
    if (run?.status !== "completed" || notPassing.length > 0)
      process.exitCode = 1;
  } finally {
    await engine.shutdown();
    stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

await (process.argv[2] === "--serve" ? serve() : main());
