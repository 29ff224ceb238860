// The contract's schemas: one input and output schema per request channel, one payload schema per event.
// The Electron handlers, the preload bridge, the browser host's routes and the renderer's client derive from it.
import { z } from "zod";
import type { EventChannel, RequestChannel } from "./channels";
import {
  PlanDocumentView,
  PlanList,
  PlanOpenRequest,
  SecretProvide,
  SecretStatus,
} from "./plan";
import { Plan } from "../model/plan";

export * from "./plan";
export * from "./run";
export * from "./documents";
export * from "./reaudit";
import {
  AnchorImport,
  AnchorImportResult,
  CrlImport,
  CrlImportResult,
  IdentityCreate,
  IdentityImport,
  IdentityResult,
  IdentityView,
  PracticeStatus,
  ReportExport,
  ReportExportResult,
  ReportPreview,
  ReportVerify,
  SignerCa,
  VerifyReport,
} from "./documents";
import { LaptopAddress, RunPreview, RunProgress, RunStart } from "./run";
import { VantageId } from "../model/plan";
import { PlanChanges, PlanReaudit, PlanReauditResult } from "./reaudit";

/** Where the engine runs: the desktop app, browser mode, or the headless CLI. */
export const AppMode = z.enum(["desktop", "browser", "cli"]);
export type AppMode = z.infer<typeof AppMode>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  rulesetVersion: z.string(),
  platform: z.string(),
  mode: AppMode,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const LogLine = z.object({
  level: z.enum(["info", "warn", "error"]),
  message: z.string(),
  time: z.iso.datetime(),
});
export type LogLine = z.infer<typeof LogLine>;

interface RequestSchema {
  input: z.ZodType;
  output: z.ZodType;
}

export const requestSchemas = {
  "app:info": { input: z.void(), output: AppInfo },
  "plan:new": {
    input: z.object({ plantName: z.string().trim().min(1).max(200) }),
    output: PlanDocumentView.nullable(),
  },
  "plan:open": { input: PlanOpenRequest, output: PlanDocumentView.nullable() },
  "plan:current": { input: z.void(), output: PlanDocumentView.nullable() },
  "plan:update": {
    input: z.object({ plan: Plan, baseRevision: z.number().int().positive() }),
    output: PlanDocumentView,
  },
  "plan:save": { input: z.void(), output: PlanDocumentView },
  "plan:save-as": {
    input: z.object({
      plantName: z.string().trim().min(1).max(200).optional(),
    }),
    output: PlanDocumentView.nullable(),
  },
  "plan:close": { input: z.void(), output: z.null() },
  "plan:list": { input: z.void(), output: PlanList },
  "secret:status": { input: z.void(), output: SecretStatus },
  "secret:provide": { input: SecretProvide, output: z.null() },
  "laptop:addresses": { input: z.void(), output: z.array(LaptopAddress) },
  "run:preview": {
    input: z.object({ vantage: VantageId }),
    output: RunPreview,
  },
  "run:start": { input: RunStart, output: RunProgress },
  "run:stop": { input: z.void(), output: z.null() },
  "run:current": { input: z.void(), output: RunProgress.nullable() },
  "anchor:import": { input: AnchorImport, output: AnchorImportResult },
  "crl:import": { input: CrlImport, output: CrlImportResult },
  "identity:import": { input: IdentityImport, output: IdentityResult },
  "identity:create": { input: IdentityCreate, output: IdentityResult },
  "identity:describe": {
    input: z.object({ id: z.string().min(1).max(64) }),
    output: IdentityView,
  },
  "report:preview": { input: z.void(), output: ReportPreview },
  "report:export": { input: ReportExport, output: ReportExportResult },
  "report:verify": { input: ReportVerify, output: VerifyReport },
  "report:reveal": { input: z.void(), output: z.null() },
  "report:signer-cas": { input: z.void(), output: z.array(SignerCa) },
  "practice:start": {
    input: z.object({ broken: z.boolean() }),
    output: PlanDocumentView,
  },
  "practice:stop": { input: z.void(), output: z.null() },
  "practice:status": { input: z.void(), output: PracticeStatus.nullable() },
  // ---- re-audit (issue 20) ----
  /** Null: the dialog was cancelled (desktop). */
  "plan:reaudit": { input: PlanReaudit, output: PlanReauditResult.nullable() },
  /** Null: the open plan was not started from a certificate (or no plan is open). */
  "plan:changes": { input: z.void(), output: PlanChanges.nullable() },
} as const satisfies { [C in RequestChannel]: RequestSchema };

export const eventSchemas = {
  "log:line": LogLine,
  "plan:changed": PlanDocumentView,
  "run:progress": RunProgress,
} as const satisfies { [E in EventChannel]: z.ZodType };

/** What a caller passes (before parsing). */
export type Input<C extends RequestChannel> = z.input<
  (typeof requestSchemas)[C]["input"]
>;
/** What a handler receives (after parsing). */
export type ParsedInput<C extends RequestChannel> = z.output<
  (typeof requestSchemas)[C]["input"]
>;
export type Output<C extends RequestChannel> = z.output<
  (typeof requestSchemas)[C]["output"]
>;
export type EventPayload<E extends EventChannel> = z.output<
  (typeof eventSchemas)[E]
>;

type Args<C extends RequestChannel> =
  undefined extends Input<C> ? [input?: Input<C>] : [input: Input<C>];

/** The renderer's view of the contract: one typed method per channel, and typed events. */
export type Api = {
  readonly [C in RequestChannel]: (...args: Args<C>) => Promise<Output<C>>;
} & {
  readonly on: <E extends EventChannel>(
    event: E,
    callback: (payload: EventPayload<E>) => void,
  ) => () => void;
};

/** The Node side: a handler per channel. An object missing one does not compile. */
export type Handlers = {
  readonly [C in RequestChannel]: (input: ParsedInput<C>) => Promise<Output<C>>;
};
