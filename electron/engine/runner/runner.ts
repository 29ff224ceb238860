// The runner: takes one vantage (or one check on one endpoint), probes every target with the limits of
// DESIGN §5, and records an append-only run in the plan as it goes, so a crash keeps what was measured.
import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import type {
  LaptopAddress,
  RunItem,
  RunPreview,
  RunProgress,
} from "../../../shared/contract/run";
import type { Plan, Run } from "../../../shared/model/plan";
import { anchorsOf } from "../../../shared/model/endpoint-fingerprint";
import type { VantageId } from "../../../shared/plant-words";
import { RULESET_VERSION } from "../../../shared/product";
import {
  planRun,
  probeFamilies,
  type RunTarget,
} from "../../../shared/run-plan";
import { endpointDecisions } from "../../../shared/verdicts/prerequisites";
import {
  vantageSetting,
  type VantageSetting,
} from "../../../shared/vantage-setting";
import { TOOL_VERSION, instrumentInfo } from "../about";
import { UserError } from "../errors";
import type { EventHub } from "../events";
import type { FamilyProbes, ProbeContext } from "../families/types";
import type { Logger } from "../log";
import { bindFailure, HostLimiter, laptopAddresses } from "../net";
import type { PlanStore } from "../plan-store/plan-store";
import type { SecretVault } from "../secrets/vault";
import { ProgressReporter } from "./progress";
import { fingerprintsOf, recordsOf, RunRecorder } from "./recording";
import { probeTarget } from "./target";

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

interface ActiveRun {
  progress: RunProgress;
  reporter: ProgressReporter;
  recorder: RunRecorder;
  controller: AbortController;
  finished: Promise<void>;
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
    const only = request.only;
    if (
      only !== undefined &&
      !runPlan.targets.some((t) => t.checks.some((c) => c.id === only.checkId))
    ) {
      throw new UserError(
        "invalid-input",
        `${only.checkId} is not probed on "${only.endpointId}" from the ${request.vantage} vantage.`,
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
    const progress: RunProgress = {
      runId,
      vantage: request.vantage,
      status: "running",
      done: 0,
      total: items.length,
      items,
      message: "",
    };
    const active: ActiveRun = {
      progress,
      reporter: new ProgressReporter(progress, this.options.events),
      recorder: new RunRecorder(
        runId,
        this.options.plans,
        this.options.log,
        () => controller.abort(),
      ),
      controller,
      finished: Promise.resolve(),
    };
    this.active = active;
    this.options.log.info(
      `Run ${runId} from the ${request.vantage} vantage: ${items.length} checks on ${runPlan.targets.length} targets.`,
    );
    active.reporter.emit(true);
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
    const fingerprint = fingerprintsOf(
      plan,
      targets.map((t) => t.endpoint),
    );
    let evidenceCount = 0;
    const worker = async (): Promise<void> => {
      for (
        let queue = queues.shift();
        queue !== undefined;
        queue = queues.shift()
      ) {
        const decided = endpointDecisions();
        for (const target of queue) {
          const output = await probeTarget(target, context, decided, {
            probes: this.options.probes,
            log: this.options.log,
            running: (checkId) =>
              active.reporter.settle(
                checkId,
                target.endpoint.id,
                "running",
                "",
              ),
          });
          const records = recordsOf(output, {
            endpoint: target.endpoint,
            runId: progress.runId,
            fingerprint: fingerprint(target.endpoint),
            finishedAt: this.now().toISOString(),
            onlyCheckId,
            nextEvidenceId: () => `ev-${++evidenceCount}`,
          });
          active.recorder.add(records);
          for (const result of records.results)
            active.reporter.settle(
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
    active.recorder.flush();
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
    active.reporter.finish();
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
