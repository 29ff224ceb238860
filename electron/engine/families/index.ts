// The probe behind each family: what the runner calls for a target.
import { opcuaFamily } from "./opcua";
import { httpPlainFamily } from "./http-plain";
import { httpsFamily } from "./https";
import { mtlsFamily } from "./mtls-https";
import { tcpFamily } from "./tcp";
import { tlsFamily } from "./tls";
import { mssqlFamily } from "./mssql";
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
