// The words of path sentences: who each certificate is for the purpose judged (the server certificate, the
// intermediate, the trust anchor) and what a failure means for it ("no client will accept this chain").
import type { Purpose } from "./purpose";
import type { Node } from "./path-types";

export interface RoleWords {
  leaf: string;
  consequence: string;
}

export function roleWords(purpose: Purpose): RoleWords {
  switch (purpose.kind) {
    case "server-tls":
      return {
        leaf: "the server certificate",
        consequence: "no client will accept this chain",
      };
    case "client-tls":
      return {
        leaf: "the client certificate",
        consequence: "a server that checks client certificates will refuse it",
      };
    case "document-signing":
      return {
        leaf: "the signer certificate",
        consequence: "no verifier will accept this signer",
      };
    case "time-stamping":
      return {
        leaf: "the time-stamping authority's certificate",
        consequence: "no verifier will accept its time-stamps",
      };
  }
}

export function roleOf(
  index: number,
  path: readonly Node[],
  purpose: Purpose,
): string {
  if (index === 0) return roleWords(purpose).leaf;
  const node = path[index];
  return index === path.length - 1 && node?.anchor !== null
    ? "the trust anchor"
    : "the intermediate";
}

export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
export const plural = (n: number, word: string): string =>
  `${n} ${word}${n === 1 ? "" : "s"}`;
