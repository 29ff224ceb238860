// `cellcert demo [--broken] [--dir D] [--port-base N] [--run]` (DESIGN §8–§9): serves the practice plant and
// writes its plan; with --run (what `npm run demo` does) it also runs every vantage, certifies, verifies,
// prints every failing check and the plant verdict, and stops the plant.
import { join, relative, resolve } from "node:path";
import {
  practiceFiles,
  startPracticePlant,
  type PracticePlant,
} from "../../demo/practice-plant";
import {
  PRACTICE_PASSPHRASE,
  PRACTICE_PASSPHRASE_VARIABLE,
} from "../../engine/practice/protocol";
import { vantageIds } from "../../../shared/plant-words";
import { createCliEngine } from "../cli-engine";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { renderRunReport } from "../run-summary";
import { certifyCommand } from "./certify";
import { runExitCode, runVantages } from "./run";
import { verifyCommand } from "./verify";

export interface DemoOptions {
  broken?: boolean;
  dir: string;
  portBase?: number;
  run?: boolean;
}

export async function demo(options: DemoOptions, io: CliIo): Promise<ExitCode> {
  const broken = options.broken === true;
  const dir = resolve(io.cwd, options.dir);
  const shown = (path: string): string => relative(io.cwd, path) || ".";
  io.stdout(
    `Starting the ${broken ? "broken " : ""}practice plant (PRACTICE: nothing here is a real plant)…`,
  );
  const plant = await startPracticePlant({
    dir,
    broken,
    ...(options.portBase !== undefined && { portBase: options.portBase }),
  });
  try {
    io.stdout(plant.servers.map((line) => `  ${line}`).join("\n"));
    io.stdout(
      `Plan written to ${shown(plant.planPath)}; identities in ${shown(join(dir, practiceFiles(dir, broken).identities))}.`,
    );
    io.stdout(
      `Practice passphrase (identities and the SQL login): "${PRACTICE_PASSPHRASE}" (environment variable ${PRACTICE_PASSPHRASE_VARIABLE}).`,
    );
    if (options.run !== true) {
      io.stdout("The plant is running. Press Ctrl-C to stop it.");
      await io.untilInterrupted();
      return ExitCode.ok;
    }
    return await walkThrough(plant, dir, broken, io, shown);
  } finally {
    await plant.stop();
    io.stdout("Practice plant stopped.");
  }
}

/** Every vantage, then certify and verify — the whole commissioning in one go. */
async function walkThrough(
  plant: PracticePlant,
  dir: string,
  broken: boolean,
  io: CliIo,
  shown: (path: string) => string,
): Promise<ExitCode> {
  const practiceIo: CliIo = {
    ...io,
    env: { ...io.env, [PRACTICE_PASSPHRASE_VARIABLE]: PRACTICE_PASSPHRASE },
  };
  const engine = createCliEngine(practiceIo);
  let runCode: ExitCode;
  try {
    await engine.context.plans.open({ kind: "path", path: plant.planPath });
    io.stdout("\nRunning every vantage from its cell's address…");
    const report = await runVantages(
      engine,
      plant.planPath,
      vantageIds,
      practiceIo,
    );
    const plan = engine.context.plans.current()?.plan;
    if (plan !== undefined) io.stdout(renderRunReport(report, plan));
    runCode = runExitCode(report);
  } finally {
    await engine.shutdown();
  }

  const files = practiceFiles(dir, broken);
  const pdf = files.certificate;
  io.stdout(
    "\nSigning the practice certificate, time-stamped by the practice TSA (PAdES B-T)…",
  );
  const certified = await certifyCommand(
    {
      plan: plant.planPath,
      identity: join(dir, files.identities, "practice-engineer.p12"),
      passphraseEnv: PRACTICE_PASSPHRASE_VARIABLE,
      out: pdf,
      // For this signing only: the saved plan names no TSA.
      tsa: plant.timestampAuthority,
    },
    practiceIo,
  );
  if (certified === ExitCode.unjudged) return ExitCode.unjudged;
  io.stdout("\nVerifying it…");
  const verified = await verifyCommand(pdf, { ca: [files.engineerCa] }, io);
  io.stdout(`\nPractice certificate: ${shown(pdf)}`);
  if (verified !== ExitCode.ok) return ExitCode.failed;
  return runCode;
}
