// The probe behind each family: what the runner calls for a target.
import { notTested } from "../../../shared/verdicts/outcome";
import { httpPlainFamily, httpsFamily } from "../probes/http-families";
import { mtlsFamily } from "../probes/mtls";
import { tcpFamily } from "../probes/tcp";
import { tlsFamily } from "../probes/tls-family";
import { mssqlFamily } from "../tds/family";
import type { FamilyProbe, FamilyProbes } from "./types";

/** A family whose probe is not part of this build yet: every check not-tested, saying so. */
const unavailable =
  (what: string): FamilyProbe =>
  (target) =>
    Promise.resolve({
      evidence: [],
      outcomes: target.checks.map((c) =>
        notTested(
          c.id,
          "probe unavailable",
          `The ${what} probe is not available in this build.`,
        ),
      ),
    });

export function defaultProbes(): FamilyProbes {
  return {
    tls: tlsFamily,
    mtls: mtlsFamily,
    https: httpsFamily,
    "http-plain": httpPlainFamily,
    tcp: tcpFamily,
    mssql: mssqlFamily,
    opcua: unavailable("OPC UA"),
  };
}
