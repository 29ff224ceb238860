// The plant's vocabulary (DESIGN §1, §2, §4) as plain constants, shared by the model, the catalog and the UI.

/** Security cells (zones). */
export const cellKinds = [
  "enterprise",
  "perimeter",
  "mes",
  "process-control",
  "database",
  "external",
  "remote-site",
] as const;
export type CellKind = (typeof cellKinds)[number];

/** The eight boundaries of the rule catalog, in the order an engineer meets them. */
export const boundaryIds = [
  "ENT-PER",
  "PER-MES",
  "IIS-BIND",
  "MES-PCS",
  "MES-CELL",
  "APP-DB",
  "APP-EXT",
  "REMOTE",
] as const;
export type BoundaryId = (typeof boundaryIds)[number];

/** Where the laptop stands while probing: a cell, plus the remote site with its VPN down (the VPN proof). */
export const vantageIds = [
  "enterprise",
  "perimeter",
  "mes",
  "remote-site",
  "remote-site-no-vpn",
] as const;
export type VantageId = (typeof vantageIds)[number];

export const endpointKinds = [
  "https",
  "mtls-https",
  "http-plain",
  "tls",
  "tcp",
  "mssql",
  "opcua",
  "manual",
] as const;
export type EndpointKind = (typeof endpointKinds)[number];

/** What a probe can record. */
export const measuredVerdicts = ["pass", "warn", "fail", "not-tested"] as const;
export type MeasuredVerdict = (typeof measuredVerdicts)[number];

/** A check's verdict after waivers and attestations are applied. */
export const checkVerdicts = [
  "pass",
  "warn",
  "fail",
  "not-tested",
  "waived",
  "attested",
] as const;
export type CheckVerdict = (typeof checkVerdicts)[number];

export const boundaryVerdicts = ["pass", "warn", "incomplete", "fail"] as const;
export type BoundaryVerdict = (typeof boundaryVerdicts)[number];

export const plantVerdicts = [
  "commissioned",
  "commissioned with waivers",
  "not commissioned",
] as const;
export type PlantVerdict = (typeof plantVerdicts)[number];

export const severities = ["mandatory", "recommended"] as const;
export type Severity = (typeof severities)[number];

/** How a check is satisfied: measured by a probe, attested by the engineer, or either. */
export const satisfactions = ["probe", "attest", "either"] as const;
export type Satisfaction = (typeof satisfactions)[number];
