// The runner: takes one vantage (or one check on one endpoint), probes every target with the limits of
// DESIGN §5, and records an append-only run in the plan as it goes, so a crash keeps what was measured.
import { setMaxListeners } from "node:events";
import { hostname, networkInterfaces } from "node:os";
import type {
  LaptopAddress,
  RunItem,
  RunPreview,
  RunProgress,
} from "../../../shared/contract/run";
import { findCheck } from "../../../shared/catalog/catalog";
import type {
  CheckResult,
  Evidence,
  Plan,
  Run,
} from "../../../shared/model/plan";
import {
  anchorsOf,
  endpointFingerprint,
} from "../../../shared/model/endpoint-fingerprint";
import type { VantageId } from "../../../shared/plant-words";
import { RULESET_VERSION } from "../../../shared/product";
import {
  planRun,
  probeFamilies,
  type RunTarget,
} from "../../../shared/run-plan";
import { notTested, type CheckOutcome } from "../../../shared/verdicts/outcome";
import { judgeVantageAddress } from "../../../shared/verdicts/vantage-address";
import { TOOL_VERSION, instrumentInfo } from "../about";
import { UserError } from "../errors";
import type { EventHub } from "../events";
import type { Logger } from "../log";
import { bindFailure, HostLimiter } from "../net";
import type { PlanStore } from "../plan-store/plan-store";
import type { SecretVault } from "../secrets/vault";
import type {
  EvidenceDraft,
  FamilyProbes,
  ProbeContext,
  ProbeOutput,
} from "./types";

/** Progress events at most this often; the UI stays smooth with hundreds of endpoints. */
export const PROGRESS_INTERVAL_MS = 200;

const VANTAGE_CELL_KIND: Record<VantageId, string> = {
  enterprise: "enterprise",
  perimeter: "perimeter",
  mes: "mes",
  "remote-site": "remote-site",
  "remote-site-no-vpn": "remote-site",
};

export interface RunnerOptions {
  plans: PlanStore;
  probes: FamilyProbes;
  vault: SecretVault;
  events: EventHub;
  log: Pick<Logger, "info" | "warn" | "error">;
  /** The laptop's addresses; the OS's by default. */
  addresses?: () => LaptopAddress[];
  /** Whether a source address binds here (null) or why not; a real bind by default. */
  bindFailure?: (address: string) => Promise<string | null>;
  now?: () => Date;
}

/** Results reach the plan in batches: every change re-validates the whole plan, and a run makes hundreds. */
export const RECORD_INTERVAL_MS = 500;

interface ActiveRun {
  progress: RunProgress;
  controller: AbortController;
  finished: Promise<void>;
  lastEmit: number;
  emitTimer: NodeJS.Timeout | null;
  pending: { results: CheckResult[]; evidence: Evidence[]; skews: number[] };
  /** Every clock skew seen in this run; the run records their median. */
  skews: number[];
  recordTimer: NodeJS.Timeout | null;
}

export class Runner {
  private active: ActiveRun | null = null;

  constructor(private readonly options: RunnerOptions) {}

  async preview(vantage: VantageId): Promise<RunPreview> {
    const plan = this.plan();
    const runPlan = planRun(plan, vantage);
    const addresses = this.addresses();
    const setting = await this.settingHere(plan, vantage, addresses);
    const cellName = setting.cellName;
    return {
      vantage,
      instruction:
        vantage === "remote-site-no-vpn"
          ? `Stay at the ${cellName} with the VPN switched off: the MES must not be reachable now.`
          : `Connect the laptop to the ${cellName} cell.`,
      cellName,
      boundaries: [...new Set(runPlan.targets.map((t) => t.endpoint.boundary))],
      hostName: hostname(),
      addresses,
      sourceAddress: setting.localAddress ?? null,
      vantageAddress: setting.vantageAddress,
      problem: setting.problem,
      targets: runPlan.targets.map((t) => ({
        endpointId: t.endpoint.id,
        endpointName: t.endpoint.name,
        family: t.family,
        address: t.address,
        traffic: t.traffic,
        checkIds: t.checks.map((c) => c.id),
        blocked: t.blocked,
      })),
      attestOnly: runPlan.attestOnly.map((a) => ({
        checkId: a.check.id,
        endpointId: a.endpoint.id,
      })),
    };
  }

  current(): RunProgress | null {
    return this.active === null ? null : structuredClone(this.active.progress);
  }

  /** Starts a run and returns once it is under way; progress arrives as `run:progress` events. */
  async start(request: {
    vantage: VantageId;
    only?: { checkId: string; endpointId: string };
  }): Promise<RunProgress> {
    this.refuseWhileRunning();
    const addresses = this.addresses();
    const setting = await this.settingHere(
      this.plan(),
      request.vantage,
      addresses,
    );
    if (setting.problem !== null)
      throw new UserError("unavailable", setting.problem);
    // Read after the wait: the run measures the plan as it is when it starts.
    this.refuseWhileRunning();
    const document = this.options.plans.current();
    if (document === null)
      throw new UserError("not-found", "Open a plan before running checks.");
    const plan = document.plan;
    const runPlan = planRun(plan, request.vantage, request.only);
    if (request.only !== undefined && runPlan.targets.length === 0) {
      throw new UserError(
        "invalid-input",
        `${request.only.checkId} is not probed on "${request.only.endpointId}" from the ${request.vantage} vantage.`,
      );
    }
    const sequence = Math.max(0, ...plan.runs.map((r) => r.sequence)) + 1;
    const runId = `run-${sequence}`;
    const startedAt = this.now().toISOString();
    const run: Run = {
      id: runId,
      sequence,
      vantage: request.vantage,
      scope:
        request.only === undefined
          ? { kind: "vantage" }
          : { kind: "check", ...request.only },
      startedAt,
      status: "running",
      laptop: {
        hostName: hostname(),
        addresses: addresses.map((a) => ({
          interface: a.interface,
          address: a.address,
          cidr: a.cidr,
        })),
      },
      vantageAddress: setting.vantageAddress,
      toolVersion: TOOL_VERSION,
      rulesetVersion: RULESET_VERSION,
      results: [],
      evidence: [],
      // Schema v3 (issue 18): what probed, and from which source address.
      instrument: instrumentInfo(),
      ...(setting.localAddress !== undefined && {
        sourceAddress: setting.localAddress,
      }),
    };
    this.options.plans.mutate((draft) => {
      draft.runs.push(run);
    });
    const items: RunItem[] = runPlan.targets.flatMap((target) =>
      target.checks
        .filter(
          (check) =>
            request.only === undefined || check.id === request.only.checkId,
        )
        .map((check) => ({
          checkId: check.id,
          endpointId: target.endpoint.id,
          state: "queued" as const,
          message: "",
        })),
    );
    const controller = new AbortController();
    // Every waiting connection listens for Stop; hundreds may wait at once, which is fine.
    setMaxListeners(0, controller.signal);
    const active: ActiveRun = {
      progress: {
        runId,
        vantage: request.vantage,
        status: "running",
        done: 0,
        total: items.length,
        items,
        message: "",
      },
      controller,
      finished: Promise.resolve(),
      lastEmit: 0,
      emitTimer: null,
      pending: { results: [], evidence: [], skews: [] },
      skews: [],
      recordTimer: null,
    };
    this.active = active;
    this.options.log.info(
      `Run ${runId} from the ${request.vantage} vantage: ${items.length} checks on ${runPlan.targets.length} targets.`,
    );
    this.emit(true);
    active.finished = this.execute(
      active,
      runPlan.targets,
      plan,
      document.path,
      setting.localAddress,
      request.only?.checkId,
    );
    return structuredClone(active.progress);
  }

  /** Stops at once: probes are aborted, what was measured stays, the rest is not-tested ("stopped"). */
  async stop(): Promise<void> {
    const active = this.active;
    if (active === null) return;
    active.controller.abort();
    await active.finished;
  }

  /** Resolves when the current run (if any) has finished and been recorded. */
  async idle(): Promise<void> {
    await this.active?.finished;
  }

  private async execute(
    active: ActiveRun,
    targets: RunTarget[],
    plan: Plan,
    planPath: string,
    localAddress: string | undefined,
    onlyCheckId: string | undefined,
  ): Promise<void> {
    const { progress, controller } = active;
    const context: ProbeContext = {
      plan,
      anchorsPem: (endpoint) => anchorsOf(plan, endpoint).map((a) => a.pem),
      crls: () => plan.crls.map((crl) => crl.pem),
      localAddress,
      signal: controller.signal,
      limiter: HostLimiter.fromPolicy(plan.policy),
      vault: this.options.vault,
      planPath,
      now: () => this.now(),
    };
    // One queue per endpoint, families in catalog order, so a check's prerequisites are judged before it.
    const byEndpoint = new Map<string, RunTarget[]>();
    for (const target of targets) {
      const list = byEndpoint.get(target.endpoint.id) ?? [];
      list.push(target);
      byEndpoint.set(target.endpoint.id, list);
    }
    for (const list of byEndpoint.values()) {
      list.sort(
        (a, b) =>
          probeFamilies.indexOf(a.family) - probeFamilies.indexOf(b.family),
      );
    }
    const queues = [...byEndpoint.values()];
    // What each result measured: the endpoint as the plan held it when the run started (DESIGN §1 "out of date").
    const fingerprints = new Map(
      targets.map((t) => [
        t.endpoint.id,
        endpointFingerprint(plan, t.endpoint),
      ]),
    );
    let evidenceCount = 0;
    const worker = async (): Promise<void> => {
      for (
        let queue = queues.shift();
        queue !== undefined;
        queue = queues.shift()
      ) {
        const judged = new Map<string, CheckOutcome>();
        for (const target of queue) {
          const output = await this.probeTarget(
            target,
            context,
            judged,
            active,
          );
          const evidence: Evidence[] = output.evidence.map((draft) => ({
            id: `ev-${++evidenceCount}`,
            endpointId: target.endpoint.id,
            probe: draft.probe,
            target: draft.target,
            startedAt: draft.startedAt,
            durationMs: Math.round(draft.durationMs),
            data: toJson(draft.data),
          }));
          const finishedAt = this.now().toISOString();
          const results: CheckResult[] = output.outcomes
            .filter(
              (o) => onlyCheckId === undefined || o.checkId === onlyCheckId,
            )
            .map((o) => ({
              ...o,
              // The plan bounds these fields; a long measurement is cut, never a reason to lose the result.
              measured: clip(o.measured, 2000),
              threshold: clip(o.threshold, 2000),
              headroom: clip(o.headroom, 500),
              message: clip(o.message, 4000),
              reason: clip(o.reason, 500),
              endpointId: target.endpoint.id,
              endpointFingerprint:
                fingerprints.get(target.endpoint.id) ??
                endpointFingerprint(plan, target.endpoint),
              runId: progress.runId,
              evidenceIds: evidence
                .filter(
                  (_, i) =>
                    output.evidence[i]?.checkIds?.includes(o.checkId) ?? true,
                )
                .map((e) => e.id),
              finishedAt,
            }));
          const skews = output.evidence.flatMap((d) =>
            d.clockSkewMs === undefined ? [] : [d.clockSkewMs],
          );
          this.record(active, results, evidence, skews);
          for (const result of results)
            this.settle(
              active,
              result.checkId,
              target.endpoint.id,
              result.verdict,
              result.message,
            );
        }
      }
    };
    const parallel = Math.max(
      1,
      Math.min(plan.policy.maxConnections, queues.length),
    );
    try {
      await Promise.all(Array.from({ length: parallel }, worker));
      progress.status = controller.signal.aborted ? "stopped" : "completed";
      progress.message = controller.signal.aborted
        ? "Stopped by the engineer; the checks not yet made are not tested."
        : "";
    } catch (error) {
      progress.status = "failed";
      progress.message = `The run failed: ${error instanceof Error ? error.message : String(error)}`;
      this.options.log.error(progress.message);
    }
    for (const item of progress.items) {
      if (item.state === "queued" || item.state === "running") {
        item.state = "not-tested";
        item.message =
          progress.status === "stopped"
            ? "Stopped before this check was made."
            : "Not made: the run failed.";
      }
    }
    this.flushRecords(active);
    this.options.plans.mutate((draft) => {
      const run = draft.runs.find((r) => r.id === progress.runId);
      if (run === undefined) return;
      run.status = progress.status;
      run.finishedAt = this.now().toISOString();
    });
    this.options.log.info(
      `Run ${progress.runId} ${progress.status}: ${progress.done} of ${progress.total} checks judged.`,
    );
    this.active = null;
    this.emit(true, progress);
  }

  /** Probes one target, unless Stop was pressed or every check waits on a failed prerequisite. */
  private async probeTarget(
    target: RunTarget,
    context: ProbeContext,
    judged: Map<string, CheckOutcome>,
    active: ActiveRun,
  ): Promise<ProbeOutput> {
    const blockedBy = (checkId: string): string | null => {
      for (const prerequisite of findCheck(checkId)?.prerequisites ?? []) {
        if (judged.get(prerequisite)?.verdict === "fail") return prerequisite;
      }
      return null;
    };
    const fixed = (
      reason: string,
      message: (checkId: string) => string,
    ): ProbeOutput => ({
      evidence: [],
      outcomes: target.checks.map((c) =>
        notTested(c.id, reason, message(c.id)),
      ),
    });
    let output: ProbeOutput;
    if (context.signal.aborted) {
      output = fixed("stopped", () => "Stopped before this check was made.");
    } else if (target.blocked !== null) {
      output = fixed("not configured", () => target.blocked ?? "");
    } else if (target.checks.every((c) => blockedBy(c.id) !== null)) {
      output = fixed(
        "prerequisite failed",
        (id) =>
          `Not judged: ${blockedBy(id) ?? ""} failed on this endpoint, and this check builds on it.`,
      );
    } else {
      for (const check of target.checks)
        this.settle(active, check.id, target.endpoint.id, "running", "");
      try {
        output = await this.options.probes[target.family](target, context);
      } catch (error) {
        // Read the signal again: Stop may have been pressed while the probe ran.
        if (isAborted(context.signal))
          output = fixed(
            "stopped",
            () => "Stopped while this check was being made.",
          );
        else {
          const message =
            error instanceof UserError
              ? error.message
              : `The ${target.family} probe failed: ${error instanceof Error ? error.message : String(error)}`;
          if (!(error instanceof UserError)) this.options.log.error(message);
          output = fixed("probe failed", () => message);
        }
      }
    }
    // DESIGN §2: one fault, one failing check. A check whose prerequisite failed is not-tested, not failed
    // again. Checks are in catalog order, so a prerequisite of the same target is decided before its dependents.
    const outcomes = target.checks.map((check): CheckOutcome => {
      const own = output.outcomes.find((o) => o.checkId === check.id);
      const prerequisite = blockedBy(check.id);
      const decided =
        prerequisite !== null
          ? notTested(
              check.id,
              "prerequisite failed",
              `Not judged: ${prerequisite} failed on this endpoint, and this check builds on it.`,
            )
          : (own ??
            notTested(
              check.id,
              "not judged",
              `The ${target.family} probe gave no verdict for this check.`,
            ));
      judged.set(check.id, decided);
      return decided;
    });
    return { evidence: output.evidence, outcomes };
  }

  private record(
    active: ActiveRun,
    results: CheckResult[],
    evidence: Evidence[],
    skews: number[],
  ): void {
    active.pending.results.push(...results);
    active.pending.evidence.push(...evidence);
    active.pending.skews.push(...skews);
    active.recordTimer ??= setTimeout(() => {
      active.recordTimer = null;
      this.flushRecords(active);
    }, RECORD_INTERVAL_MS);
  }

  private flushRecords(active: ActiveRun): void {
    if (active.recordTimer !== null) clearTimeout(active.recordTimer);
    active.recordTimer = null;
    const { results, evidence, skews } = active.pending;
    if (results.length === 0 && evidence.length === 0) return;
    active.pending = { results: [], evidence: [], skews: [] };
    try {
      this.recordNow(active, results, evidence, skews);
    } catch (error) {
      // Never lose a run to one record the plan refuses: log it, and stop the run cleanly.
      this.options.log.error(
        `Run ${active.progress.runId}: results could not be recorded: ${error instanceof Error ? error.message : String(error)}`,
      );
      active.controller.abort();
    }
  }

  private recordNow(
    active: ActiveRun,
    results: CheckResult[],
    evidence: Evidence[],
    skews: number[],
  ): void {
    active.skews.push(...skews);
    const sorted = [...active.skews].sort((a, b) => a - b);
    this.options.plans.appendToRun(active.progress.runId, {
      results,
      evidence,
      ...(sorted.length > 0 && {
        clockSkewMs: sorted[Math.floor(sorted.length / 2)],
      }),
    });
  }

  private settle(
    active: ActiveRun,
    checkId: string,
    endpointId: string,
    state: RunItem["state"],
    message: string,
  ): void {
    const item = active.progress.items.find(
      (i) => i.checkId === checkId && i.endpointId === endpointId,
    );
    if (item === undefined) return;
    const wasOpen = item.state === "queued" || item.state === "running";
    item.state = state;
    item.message = message;
    if (wasOpen && state !== "queued" && state !== "running")
      active.progress.done += 1;
    this.emit(false);
  }

  /** Sends progress at most every PROGRESS_INTERVAL_MS, and always at the start and the end. */
  private emit(now: boolean, finished?: RunProgress): void {
    const active = this.active;
    const send = (progress: RunProgress): void =>
      this.options.events.emit("run:progress", structuredClone(progress));
    if (finished !== undefined) {
      send(finished);
      return;
    }
    if (active === null) return;
    const elapsed = Date.now() - active.lastEmit;
    if (now || elapsed >= PROGRESS_INTERVAL_MS) {
      if (active.emitTimer !== null) clearTimeout(active.emitTimer);
      active.emitTimer = null;
      active.lastEmit = Date.now();
      send(active.progress);
    } else if (active.emitTimer === null) {
      active.emitTimer = setTimeout(() => {
        active.emitTimer = null;
        if (this.active === active) this.emit(true);
      }, PROGRESS_INTERVAL_MS - elapsed);
    }
  }

  /** One run at a time: checked again after every wait before a run starts. */
  private refuseWhileRunning(): void {
    if (this.active !== null) {
      throw new UserError(
        "conflict",
        "A run is already going; stop it or wait for it to finish.",
      );
    }
  }

  /** The vantage's setting, refused when its source address cannot be bound on this laptop. */
  private async settingHere(
    plan: Plan,
    vantage: VantageId,
    addresses: readonly LaptopAddress[],
  ): Promise<VantageSetting> {
    const setting = vantageSetting(plan, vantage, addresses);
    const address = setting.localAddress;
    if (setting.problem !== null || address === undefined) return setting;
    const failure = await (this.options.bindFailure ?? bindFailure)(address);
    if (failure === null) return setting;
    const problem = `${address} is not an address of this laptop: plug into the cell or correct the vantage (the ${vantage} vantage probes from it, for the ${setting.cellName} cell${failure === "EADDRNOTAVAIL" ? "" : `; binding it failed with ${failure}`}).`;
    return {
      ...setting,
      vantageAddress: { verdict: "warn", message: problem },
      problem,
    };
  }

  private plan(): Plan {
    const document = this.options.plans.current();
    if (document === null)
      throw new UserError("not-found", "Open a plan first.");
    return document.plan;
  }

  private addresses(): LaptopAddress[] {
    return (this.options.addresses ?? laptopAddresses)();
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

/** Where a vantage probes from: its cell, the source address bound, and the VANTAGE.address verdict. */
export interface VantageSetting {
  cellName: string;
  /** The address probes bind: the vantage's source address, or the address of its network interface. */
  localAddress: string | undefined;
  vantageAddress: Run["vantageAddress"];
  /** Why no run may start from here (the plan's interface is not on this laptop), or null. */
  problem: string | null;
}

/**
 * The one reading of a vantage's settings, for the preview and the run alike. The cell is the vantage's
 * configured cell, else the plan's cell of the vantage's kind. A source address wins over an interface; an
 * interface stands for its address (one in the cell's networks if it has several, else its first IPv4).
 */
export function vantageSetting(
  plan: Plan,
  vantage: VantageId,
  addresses: readonly LaptopAddress[],
): VantageSetting {
  const configured = plan.vantages.find((v) => v.id === vantage);
  const cell =
    plan.cells.find((c) => c.id === configured?.cell) ??
    plan.cells.find((c) => c.kind === VANTAGE_CELL_KIND[vantage]);
  const cellName = cell?.name ?? vantage;
  const judged = (localAddress: string | undefined) =>
    judgeVantageAddress(
      cell ?? { name: cellName, networks: [] },
      addresses,
      localAddress,
    );
  const name = configured?.interface;
  const missingCard =
    name !== undefined && !addresses.some((a) => a.interface === name)
      ? `The network interface "${name}" that the plan names for the ${vantage} vantage is not on this laptop (it has ${[...new Set(addresses.map((a) => a.interface))].join(", ") || "none"}): plug in that network card, or change the vantage's interface in the plan.`
      : null;
  if (missingCard !== null) {
    return {
      cellName,
      localAddress: configured?.sourceAddress,
      vantageAddress: { verdict: "warn", message: missingCard },
      problem: missingCard,
    };
  }
  if (configured?.sourceAddress !== undefined || name === undefined) {
    const localAddress = configured?.sourceAddress;
    return {
      cellName,
      localAddress,
      vantageAddress: judged(localAddress),
      problem: null,
    };
  }
  const own = addresses.filter((a) => a.interface === name);
  const inCell = own.find((a) => judged(a.address).verdict === "pass");
  // A link-local IPv6 address cannot be bound without its scope: never the fallback.
  const chosen =
    inCell ??
    own.find((a) => a.family === "IPv4") ??
    own.find((a) => !/^fe[89ab]/i.test(a.address));
  const localAddress = chosen?.address;
  return {
    cellName,
    localAddress,
    vantageAddress: judged(localAddress),
    problem: null,
  };
}

/** The laptop's addresses as the OS reports them. */
export function laptopAddresses(): LaptopAddress[] {
  return Object.entries(networkInterfaces()).flatMap(([name, entries]) =>
    (entries ?? []).map((entry) => ({
      interface: name,
      address: entry.address,
      family: entry.family,
      cidr: entry.cidr ?? "",
      internal: entry.internal,
    })),
  );
}

/** Evidence is stored as JSON: drop undefined, turn buffers into base64, keep everything else as is. */
function toJson(value: unknown): Evidence["data"] {
  return JSON.parse(stringify(value) ?? "null") as Evidence["data"];
}

/** JSON.stringify says undefined for undefined and functions; its typings do not. */
function stringify(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof Uint8Array ? Buffer.from(item).toString("base64") : item,
  );
}

export type { EvidenceDraft };

function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** Cuts text to the plan's limit, saying so. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
