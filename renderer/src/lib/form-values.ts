// Turning what people type into plan values, with a sentence when it cannot be done.

/** "443, 8443 10443" → [443, 8443, 10443]; words that are not whole numbers are named. */
export function parsePortList(text: string): {
  ports: number[];
  problem: string | null;
} {
  const words = text.split(/[\s,;]+/).filter((word) => word !== "");
  const bad = words.filter((word) => !/^\d{1,5}$/.test(word));
  if (bad.length > 0)
    return {
      ports: [],
      problem: `${bad.map((w) => `"${w}"`).join(", ")} ${bad.length === 1 ? "is not a port number" : "are not port numbers"}.`,
    };
  return { ports: words.map(Number), problem: null };
}

export function formatPortList(ports: readonly number[]): string {
  return ports.join(", ");
}

/** One entry per line (or comma), blanks dropped: paths, networks, host names. */
export function parseLines(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** A port typed in a field: undefined when empty, NaN-free; the problem when it is not a number. */
export function parseOptionalPort(text: string): {
  port: number | undefined;
  problem: string | null;
} {
  const trimmed = text.trim();
  if (trimmed === "") return { port: undefined, problem: null };
  if (!/^\d{1,5}$/.test(trimmed))
    return { port: undefined, problem: `"${trimmed}" is not a port number.` };
  return { port: Number(trimmed), problem: null };
}
