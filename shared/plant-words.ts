// The plant's vocabulary (DESIGN §1) as plain constants, shared by the model, the catalog and the UI.
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
