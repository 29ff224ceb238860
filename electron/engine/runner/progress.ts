// A run's progress as the UI sees it: each check's state, the count judged, and `run:progress` events at most
// every PROGRESS_INTERVAL_MS (always at the start and the end), so hundreds of endpoints stay smooth.
import type { RunItem, RunProgress } from "../../../shared/contract/run";
import type { EventHub } from "../events";

/** Progress events at most this often; the UI stays smooth with hundreds of endpoints. */
export const PROGRESS_INTERVAL_MS = 200;

export class ProgressReporter {
  private lastEmit = 0;
  private emitTimer: NodeJS.Timeout | null = null;
  private finished = false;

  constructor(
    readonly progress: RunProgress,
    private readonly events: EventHub,
  ) {}

  /** A check's new state; judged once it leaves queued or running. */
  settle(
    checkId: string,
    endpointId: string,
    state: RunItem["state"],
    message: string,
  ): void {
    const item = this.progress.items.find(
      (i) => i.checkId === checkId && i.endpointId === endpointId,
    );
    if (item === undefined) return;
    const wasOpen = item.state === "queued" || item.state === "running";
    item.state = state;
    item.message = message;
    if (wasOpen && state !== "queued" && state !== "running")
      this.progress.done += 1;
    this.emit(false);
  }

  /** Sends progress now, or within PROGRESS_INTERVAL_MS of the last event. */
  emit(now: boolean): void {
    if (this.finished) return;
    const elapsed = Date.now() - this.lastEmit;
    if (now || elapsed >= PROGRESS_INTERVAL_MS) {
      if (this.emitTimer !== null) clearTimeout(this.emitTimer);
      this.emitTimer = null;
      this.lastEmit = Date.now();
      this.send();
    } else if (this.emitTimer === null) {
      this.emitTimer = setTimeout(() => {
        this.emitTimer = null;
        this.emit(true);
      }, PROGRESS_INTERVAL_MS - elapsed);
    }
  }

  /** The last event of the run: nothing is sent after it. */
  finish(): void {
    if (this.emitTimer !== null) clearTimeout(this.emitTimer);
    this.emitTimer = null;
    this.finished = true;
    this.send();
  }

  private send(): void {
    this.events.emit("run:progress", structuredClone(this.progress));
  }
}
