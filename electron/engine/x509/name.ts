// The name check (DESIGN §3 "name"): the host or SNI name must be in the leaf's subjectAltName, as a DNS name
// (wildcards per RFC 6125: only a whole left-most "*" label, matching exactly one label) or as an IP address.
// The Common Name alone does not count.
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import { addressBytes, isIpLiteral } from "../../../shared/model/net";
import { commonName } from "../../../shared/evidence/distinguished-name";

export interface NameMatch {
  /** The name the client asked for. */
  reference: string;
  kind: "dns" | "ip";
  /** The SAN entry that matched, e.g. "*.plant.local"; null when none did. */
  matchedBy: string | null;
  /** The CN carries the name, but no SAN does (clients ignore the CN). */
  onlyInCommonName: boolean;
  /** Wildcard SAN entries that were not honoured (partial labels, too broad), for the message. */
  ignoredWildcards: string[];
}

const normalizeDns = (name: string): string =>
  name.trim().toLowerCase().replace(/\.$/, "");

/** RFC 6125 §6.4.3, strict form: "*" is the whole left-most label, matches one label, and leaves at least two. */
export function wildcardMatches(pattern: string, name: string): boolean {
  const patternLabels = normalizeDns(pattern).split(".");
  const nameLabels = normalizeDns(name).split(".");
  if (patternLabels[0] !== "*" || patternLabels.length < 3) return false;
  if (patternLabels.slice(1).some((label) => label.includes("*"))) return false;
  if (nameLabels.length !== patternLabels.length) return false;
  if ((nameLabels[0] ?? "") === "") return false;
  return patternLabels
    .slice(1)
    .every((label, index) => label === nameLabels[index + 1]);
}

function sameAddress(a: string, b: string): boolean {
  const left = addressBytes(a);
  const right = addressBytes(b);
  return (
    left !== null &&
    right !== null &&
    left.length === right.length &&
    left.every((byte, i) => byte === right[i])
  );
}

export function matchName(leaf: CertificateInfo, reference: string): NameMatch {
  const bare = reference.replace(/^\[(.*)\]$/, "$1");
  const kind = isIpLiteral(bare) ? "ip" : "dns";
  const ignoredWildcards: string[] = [];
  let matchedBy: string | null = null;
  for (const san of leaf.subjectAltNames) {
    if (kind === "ip" && san.type === "ip" && sameAddress(san.value, bare)) {
      matchedBy = san.value;
      break;
    }
    if (kind === "dns" && san.type === "dns") {
      if (normalizeDns(san.value) === normalizeDns(bare)) {
        matchedBy = san.value;
        break;
      }
      if (san.value.includes("*")) {
        if (wildcardMatches(san.value, bare)) {
          matchedBy = san.value;
          break;
        }
        if (!/^\*\.[^*]+\.[^*]+$/.test(san.value))
          ignoredWildcards.push(san.value);
      }
    }
  }
  const cn = commonName(leaf.subject);
  const onlyInCommonName =
    matchedBy === null &&
    cn !== "" &&
    (kind === "ip"
      ? sameAddress(cn, bare)
      : normalizeDns(cn) === normalizeDns(bare) || wildcardMatches(cn, bare));
  return {
    reference: bare,
    kind,
    matchedBy,
    onlyInCommonName,
    ignoredWildcards,
  };
}
