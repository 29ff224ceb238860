// The validated path as evidence records it (shared/evidence/certificate.ts `ValidatedPath`), beside the
// certificates exactly as the peer sent them: which certificates the path took, from where, what was left over,
// and what revocation showed.
import type { ValidatedPath } from "../../../shared/evidence/certificate";
import type { PathResult } from "./path";

export function pathEvidence(result: PathResult): ValidatedPath {
  return {
    status: result.status,
    problem: result.problem,
    certificates: result.path.map((link) => ({ ...link })),
    extras: result.extras.map((extra) => ({ ...extra })),
    revocation: result.revocation.map((finding) => ({
      ...finding,
      sources: [...finding.sources],
    })),
    warnings: [...result.warnings],
  };
}
