// The schema name each probe writes into its evidence (docs/evidence.md), declared once and without the zod
// schemas beside them: a probe names its record without building every schema first, so `cellcert probe tls`
// starts without zod (DESIGN §6, lazy CLI). Each evidence module re-exports its own name.
export const TLS_EVIDENCE_SCHEMA = "cellcert.tls-evidence/2";
export const TCP_EVIDENCE_SCHEMA = "cellcert.tcp-evidence/1";
export const HTTP_EVIDENCE_SCHEMA = "cellcert.http-evidence/1";
export const MTLS_EVIDENCE_SCHEMA = "cellcert.mtls-evidence/1";
export const OPCUA_EVIDENCE_SCHEMA = "cellcert.opcua-evidence/2";
export const MSSQL_EVIDENCE_SCHEMA = "cellcert.mssql-evidence/2";

/**
 * The versions before the one failure record (docs/evidence.md, "Earlier versions"), still read where evidence is
 * shown or compared: TLS /1 said `reachability` where /2 says `unreachable`; SQL Server and OPC UA /1 said "dns"
 * and "aborted" where /2 says "dns-failure" and "stopped".
 */
export const TLS_EVIDENCE_V1 = "cellcert.tls-evidence/1";
export const OPCUA_EVIDENCE_V1 = "cellcert.opcua-evidence/1";
export const MSSQL_EVIDENCE_V1 = "cellcert.mssql-evidence/1";
