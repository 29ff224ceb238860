// Shared by the benchmarks: medians, peak memory, and a uniform printout that the README quotes.
import { performance } from "node:perf_hooks";

export interface Sample {
  ms: number;
}

export async function timeRuns(
  runs: number,
  body: () => Promise<void>,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * Several bodies timed side by side: each round runs every body once, in turn, so a change in the machine's load
 * falls on all of them alike. The times of each body, by name.
 */
export async function timeSideBySide<Name extends string>(
  runs: number,
  bodies: Record<Name, () => Promise<void>>,
): Promise<Record<Name, number[]>> {
  const names = Object.keys(bodies) as Name[];
  const times = Object.fromEntries(
    names.map((name): [Name, number[]] => [name, []]),
  ) as Record<Name, number[]>;
  for (let i = 0; i < runs; i++)
    for (const name of names)
      times[name].push(...(await timeRuns(1, bodies[name])));
  return times;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Peak resident set size of this process so far, in MiB (Node's own high-water mark). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function printResult(
  name: string,
  figures: Record<string, string | number>,
): void {
  process.stdout.write(`\n${name}\n`);
  for (const [label, value] of Object.entries(figures))
    process.stdout.write(`  ${label.padEnd(28)} ${value}\n`);
}
