// The probe's queries, word for word (notes/sql-server-tds.md). The practice SQL Server recognises these exact
// texts, so a change here is a change there. Values come back CAST to plain types so no driver has to decode
// sql_variant; the MES application's login is never put into SQL text, its sessions are picked out afterwards.
export const PROBE_QUERIES = {
  /** Needs VIEW SERVER STATE (2022+: VIEW SERVER PERFORMANCE STATE). */
  session:
    "SELECT encrypt_option, auth_scheme, protocol_version, net_transport FROM sys.dm_exec_connections WHERE session_id = @@SPID;",
  /** Needs no permission; cannot tell encryption. */
  connectionProperty:
    "SELECT CAST(CONNECTIONPROPERTY('auth_scheme') AS nvarchar(40)) AS auth_scheme, CAST(CONNECTIONPROPERTY('net_transport') AS nvarchar(40)) AS net_transport;",
  /** Needs no permission. */
  server:
    "SELECT CAST(SERVERPROPERTY('IsIntegratedSecurityOnly') AS int) AS integrated_security_only, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version;",
  /** Needs VIEW SERVER STATE. */
  registry:
    "SELECT registry_key, value_name, CAST(value_data AS nvarchar(4000)) AS value_data FROM sys.dm_server_registry WHERE registry_key LIKE N'%SuperSocketNetLib' AND value_name IN (N'ForceEncryption', N'ForceStrictEncryption', N'Certificate');",
  /** Needs VIEW SERVER STATE; bounded, the application's login is matched by the probe. */
  appSessions:
    "SELECT TOP (1000) s.session_id, s.login_name, s.host_name, s.program_name, c.encrypt_option, c.auth_scheme, c.net_transport FROM sys.dm_exec_sessions AS s JOIN sys.dm_exec_connections AS c ON c.session_id = s.session_id WHERE s.is_user_process = 1 ORDER BY s.session_id;",
} as const;

export type ProbeQuery = keyof typeof PROBE_QUERIES;

/** SQL Server error numbers that mean "you lack the permission", not "the query is wrong". */
export const PERMISSION_ERRORS: ReadonlySet<number> = new Set([
  229, 262, 297, 300, 916,
]);

/** SQL Server's error for a refused login. */
export const LOGIN_FAILED = 18456;
