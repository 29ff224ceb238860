// Child process for the crash test: saves two plans alternately into one file until it is killed.
import { readFileSync } from "node:fs";
import { Plan } from "../../shared/model/plan";
import { writePlanFile } from "../../electron/engine/plan-store/plan-file";

const [file, first, second] = process.argv.slice(2);
if (file === undefined || first === undefined || second === undefined) {
  process.stderr.write("usage: save-loop FILE PLAN_A PLAN_B\n");
  process.exit(2);
}
const plans = [first, second].map((path) =>
  Plan.parse(JSON.parse(readFileSync(path, "utf8"))),
);
for (let i = 0; i < 100_000; i++) {
  await writePlanFile(file, plans[i % 2]!);
  if (i === 0) process.stdout.write("ready\n");
}
