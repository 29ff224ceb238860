// The probe behind each family: what the runner calls for a target.
import { opcuaFamily } from "../opcua/family";
import { httpPlainFamily, httpsFamily } from "../probes/http-families";
import { mtlsFamily } from "../probes/mtls";
import { tcpFamily } from "../probes/tcp";
import { tlsFamily } from "../probes/tls-family";
import { mssqlFamily } from "../tds/family";
import type { FamilyProbes } from "./types";

export function defaultProbes(): FamilyProbes {
  return {
    tls: tlsFamily,
    mtls: mtlsFamily,
    https: httpsFamily,
    "http-plain": httpPlainFamily,
    tcp: tcpFamily,
    mssql: mssqlFamily,
    opcua: opcuaFamily,
  };
}
