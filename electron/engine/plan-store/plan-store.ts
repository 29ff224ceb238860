// The open plan: days of an engineer's work on site, never lost and never half-written. Every change is
// validated, then saved after a short pause (debounced autosave) through crash-safe writes.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { findCheck } from "../../../shared/catalog/catalog";
import { runsMeasuring } from "../../../shared/model/endpoint-removal";
import { CheckResult, Evidence, Plan } from "../../../shared/model/plan";
import { describeProblem, problemsOf } from "../../../shared/model/parse-plan";
import { UserError } from "../errors";
import type { Logger } from "../log";
import type { OpenRequest, PlanLocations } from "./locations";
import { planFileName } from "./locations";
import { readPlanFile, writePlanFile } from "./plan-file";
import { copyPlanFiles } from "./plan-folder";
import type { RecentPlans } from "./recent-plans";

export const AUTOSAVE_DELAY_MS = 800;

/** Change notifications at most this often (the first at once, the last never lost): a run changes the plan a lot. */
export const CHANGE_INTERVAL_MS = 1000;

export interface PlanDocument {
  path: string;
  plan: Plan;
  /** Bumped by every change; an edit based on an older revision is refused as a conflict. */
  revision: number;
  dirty: boolean;
  savedAt: string | null;
  saveError: string | null;
  /** The schema version the file had when opened, if it was older than this build's. */
  migratedFrom: number | null;
}

export interface PlanStoreOptions {
  locations: PlanLocations;
  recent: RecentPlans;
  /** The reference plant a new plan starts from. */
  templatePath: string;
  log: Pick<Logger, "info" | "error">;
  /** Told after every change and every save. */
  onChange?: (document: PlanDocument) => void;
  /** Told when the open plan is closed, by itself or because another is created or opened. */
  onClose?: () => void;
  autosaveDelayMs?: number;
  now?: () => Date;
}

export class PlanStore {
  private document: PlanDocument | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Saves run one after the other, never two writes of the same file at once. */
  private saving: Promise<void> = Promise.resolve();
  private changeTimer: NodeJS.Timeout | null = null;
  private lastChange = 0;

  constructor(private readonly options: PlanStoreOptions) {}

  current(): PlanDocument | null {
    return this.document;
  }

  /** A new plan from the reference template, saved at once so it can never be lost. */
  async create(plantName: string): Promise<PlanDocument | null> {
    const path = await this.options.locations.chooseNewLocation(
      planFileName(plantName),
    );
    if (path === null) return null;
    const template = await this.readTemplate();
    template.plant.name = plantName;
    await this.close();
    await writePlanFile(path, template);
    this.document = this.fresh(path, template, null);
    this.document.savedAt = this.now().toISOString();
    await this.options.recent.remember(path, plantName, this.now());
    this.options.log.info(
      `New plan ${basename(path)} from the reference template.`,
    );
    this.changed();
    return this.document;
  }

  /** Opens a plan; older schema versions are migrated in memory, and the file is not touched until a change. */
  async open(
    request: OpenRequest | { kind: "path"; path: string },
  ): Promise<PlanDocument | null> {
    const path =
      request.kind === "path"
        ? request.path
        : await this.options.locations.chooseOpenLocation(request);
    if (path === null) return null;
    const { plan, fromVersion } = await readPlanFile(path);
    await this.close();
    const migratedFrom = fromVersion < plan.schemaVersion ? fromVersion : null;
    this.document = this.fresh(path, plan, migratedFrom);
    await this.options.recent.remember(path, plan.plant.name, this.now());
    this.options.log.info(
      migratedFrom === null
        ? `Opened ${basename(path)}.`
        : `Opened ${basename(path)}, written in schema version ${migratedFrom}; it is saved in version ${plan.schemaVersion} at the first change.`,
    );
    this.changed();
    return this.document;
  }

  async openRecent(id: string): Promise<PlanDocument | null> {
    const entry = await this.options.recent.find(id);
    if (entry === undefined)
      throw new UserError(
        "not-found",
        "That plan is no longer in the list of recent plans.",
      );
    try {
      return await this.open({ kind: "path", path: entry.path });
    } catch (error) {
      if (error instanceof UserError && error.code === "not-found")
        await this.options.recent.forget(entry.path);
      throw error;
    }
  }

  /**
   * Replaces the plan with an edited one. `baseRevision` is the revision the edit started from: when the plan
   * changed meanwhile (a run finished), the edit is refused as a conflict so the caller can apply it again.
   */
  update(candidate: unknown, baseRevision: number): PlanDocument {
    const document = this.require();
    if (baseRevision !== document.revision) {
      throw new UserError(
        "conflict",
        `The plan changed while this edit was made (revision ${document.revision}, not ${baseRevision}); apply it again.`,
      );
    }
    const refusal = measuredEndpointDropped(document.plan, candidate);
    if (refusal !== null) throw new UserError("invalid-input", refusal);
    // Runs and issued certificates are recorded by the engine and never edited (DESIGN §1: append-only,
    // evidence immutable once recorded): an edit carries over everything else and keeps these as they are,
    // and is judged against them (an attestation next to a failure recorded meanwhile is refused).
    const parsed = Plan.safeParse(
      typeof candidate === "object" && candidate !== null
        ? {
            ...candidate,
            runs: document.plan.runs,
            certificates: document.plan.certificates,
          }
        : candidate,
    );
    if (!parsed.success) {
      throw new UserError(
        "invalid-input",
        problemsOf(parsed.error).map(describeProblem).join("; "),
      );
    }
    return this.replace(parsed.data);
  }

  /** A change made by the engine itself (a run appended, a certificate issued), on the latest plan. */
  mutate(change: (plan: Plan) => void): PlanDocument {
    const document = this.require();
    const draft = structuredClone(document.plan);
    change(draft);
    return this.replace(Plan.parse(draft));
  }

  /**
   * Adds results and evidence to a run as it goes. Only the new pieces are validated (their shape, and that
   * their check, endpoint and evidence exist), so recording stays cheap however large the plan has grown.
   */
  appendToRun(
    runId: string,
    additions: {
      results: CheckResult[];
      evidence: Evidence[];
      clockSkewMs?: number;
    },
  ): PlanDocument {
    const document = this.require();
    const run = document.plan.runs.find((r) => r.id === runId);
    if (run === undefined) throw new Error(`The plan has no run ${runId}.`);
    const evidence = additions.evidence.map((e) => Evidence.parse(e));
    const results = additions.results.map((r) => CheckResult.parse(r));
    const endpoints = new Set(document.plan.endpoints.map((e) => e.id));
    const evidenceIds = new Set(
      [...run.evidence, ...evidence].map((e) => e.id),
    );
    for (const result of results) {
      if (
        result.runId !== runId ||
        !endpoints.has(result.endpointId) ||
        findCheck(result.checkId) === undefined
      ) {
        throw new Error(
          `A result for ${result.checkId} on "${result.endpointId}" does not belong to run ${runId}.`,
        );
      }
      const missing = result.evidenceIds.find((id) => !evidenceIds.has(id));
      if (missing !== undefined)
        throw new Error(
          `A result for ${result.checkId} names evidence "${missing}" the run lacks.`,
        );
    }
    run.evidence.push(...evidence);
    run.results.push(...results);
    markContradictedAttestations(document.plan, run.sequence, results);
    if (additions.clockSkewMs !== undefined)
      run.laptop.clockSkewMs = additions.clockSkewMs;
    document.revision += 1;
    document.dirty = true;
    this.scheduleSave();
    this.changed();
    return document;
  }

  /** Saves now, if anything is unsaved. */
  async save(): Promise<PlanDocument> {
    const document = this.require();
    this.clearTimer();
    await this.enqueueSave();
    return document;
  }

  /** Writes the plan to a new place and continues there. */
  async saveAs(request: {
    suggestedName?: string;
  }): Promise<PlanDocument | null> {
    const document = this.require();
    const path = await this.options.locations.chooseNewLocation(
      planFileName(request.suggestedName ?? document.plan.plant.name),
    );
    if (path === null) return null;
    await this.flush();
    // The plan's files go along (identities, certificates), so it keeps working in its new folder.
    const plan = await copyPlanFiles(document.path, path, document.plan);
    await writePlanFile(path, plan);
    if (plan !== document.plan) document.revision += 1;
    document.plan = plan;
    document.path = path;
    document.dirty = false;
    document.savedAt = this.now().toISOString();
    await this.options.recent.remember(
      path,
      document.plan.plant.name,
      this.now(),
    );
    this.changed();
    return document;
  }

  /** Saves whatever is pending; call before quitting. */
  async flush(): Promise<void> {
    this.clearTimer();
    if (this.document?.dirty === true) await this.enqueueSave();
    await this.saving;
  }

  async close(): Promise<void> {
    await this.flush();
    this.document = null;
    this.options.onClose?.();
  }

  private replace(plan: Plan): PlanDocument {
    const document = this.require();
    document.plan = plan;
    document.revision += 1;
    document.dirty = true;
    this.scheduleSave();
    this.changed();
    return document;
  }

  private scheduleSave(): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.enqueueSave();
    }, this.options.autosaveDelayMs ?? AUTOSAVE_DELAY_MS);
  }

  private enqueueSave(): Promise<void> {
    const next = this.saving.then(() => this.writeNow());
    this.saving = next.catch(() => undefined);
    return next;
  }

  private async writeNow(): Promise<void> {
    const document = this.document;
    if (document?.dirty !== true) return;
    const revision = document.revision;
    try {
      await writePlanFile(document.path, document.plan);
      if (document.revision === revision) document.dirty = false;
      document.savedAt = this.now().toISOString();
      document.saveError = null;
      document.migratedFrom = null;
    } catch (error) {
      document.saveError = `Saving ${basename(document.path)} failed: ${error instanceof Error ? error.message : String(error)}. Your changes are kept in memory; save again or use Save as.`;
      this.options.log.error(document.saveError);
      throw error;
    } finally {
      this.changed();
    }
  }

  private async readTemplate(): Promise<Plan> {
    const text = await readFile(this.options.templatePath, "utf8");
    return Plan.parse(JSON.parse(text));
  }

  private fresh(
    path: string,
    plan: Plan,
    migratedFrom: number | null,
  ): PlanDocument {
    return {
      path,
      plan,
      revision: 1,
      dirty: false,
      savedAt: null,
      saveError: null,
      migratedFrom,
    };
  }

  private require(): PlanDocument {
    if (this.document === null)
      throw new UserError(
        "not-found",
        "No plan is open: open one or start a new one first.",
      );
    return this.document;
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(): void {
    if (this.changeTimer !== null) return;
    const elapsed = Date.now() - this.lastChange;
    const notify = (): void => {
      this.changeTimer = null;
      this.lastChange = Date.now();
      if (this.document !== null) this.options.onChange?.(this.document);
    };
    if (elapsed >= CHANGE_INTERVAL_MS) notify();
    else this.changeTimer = setTimeout(notify, CHANGE_INTERVAL_MS - elapsed);
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

/**
 * A measured failure contradicts an attestation of the same check on the same endpoint: the attestation is kept
 * and marked with the run, and no longer counts (shared/verdicts/recordable.ts; DESIGN §4).
 */
function markContradictedAttestations(
  plan: Plan,
  sequence: number,
  results: readonly CheckResult[],
): void {
  for (const result of results) {
    if (result.verdict !== "fail") continue;
    const attestation = plan.attestations.find(
      (a) =>
        a.checkId === result.checkId &&
        a.endpointId === result.endpointId &&
        a.contradictedByRun === undefined,
    );
    if (attestation !== undefined) attestation.contradictedByRun = sequence;
  }
}

/**
 * An edit may not drop an endpoint that has results: what was measured stays in the runs and the evidence, so
 * such an endpoint is retired instead (shared/model/endpoint-removal.ts). The sentence says so, or null.
 */
function measuredEndpointDropped(
  plan: Plan,
  candidate: unknown,
): string | null {
  const endpoints =
    typeof candidate === "object" &&
    candidate !== null &&
    "endpoints" in candidate &&
    Array.isArray(candidate.endpoints)
      ? (candidate.endpoints as unknown[])
      : null;
  if (endpoints === null) return null;
  const kept = new Set(
    endpoints.flatMap((e) =>
      typeof e === "object" && e !== null && "id" in e ? [String(e.id)] : [],
    ),
  );
  for (const endpoint of plan.endpoints) {
    if (kept.has(endpoint.id)) continue;
    const runs = runsMeasuring(plan, endpoint.id);
    if (runs.length > 0)
      return `"${endpoint.name}" has results in run ${runs.join(", ")}: it cannot be removed without losing what was measured, so retire it instead (it then stays in the runs and the evidence, and leaves new runs and the verdict).`;
  }
  return null;
}
