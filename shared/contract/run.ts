// Contract payloads for runs: the preview before a run, starting and stopping it, and its live progress.
import { z } from "zod";
import { BoundaryId, VantageId } from "../model/plan";
import { measuredVerdicts } from "../plant-words";
import { probeFamilies } from "../run-plan";

export const LaptopAddress = z.object({
  interface: z.string(),
  address: z.string(),
  family: z.enum(["IPv4", "IPv6"]),
  /** The interface's network as the OS reports it. */
  cidr: z.string(),
  /** Loopback and other internal interfaces (the practice plant lives on loopback). */
  internal: z.boolean(),
});
export type LaptopAddress = z.infer<typeof LaptopAddress>;

export const RunPreview = z.object({
  vantage: VantageId,
  /** "Connect the laptop to the perimeter cell." */
  instruction: z.string(),
  cellName: z.string(),
  boundaries: z.array(BoundaryId),
  hostName: z.string(),
  addresses: z.array(LaptopAddress),
  /** The address probes leave from, when the plan names one. */
  sourceAddress: z.string().nullable(),
  vantageAddress: z.object({
    verdict: z.enum(["pass", "warn"]),
    message: z.string(),
  }),
  /**
   * Why no run may start from here, or null: the vantage's source address is not an address of this laptop (a
   * socket cannot bind to it) or its network card is not on it. `run:start` refuses with the same sentence.
   */
  problem: z.string().nullable(),
  targets: z.array(
    z.object({
      endpointId: z.string(),
      endpointName: z.string(),
      family: z.enum(probeFamilies),
      address: z.string(),
      traffic: z.string(),
      checkIds: z.array(z.string()),
      blocked: z.string().nullable(),
    }),
  ),
  attestOnly: z.array(
    z.object({ checkId: z.string(), endpointId: z.string() }),
  ),
});
export type RunPreview = z.infer<typeof RunPreview>;

export const RunStart = z.object({
  vantage: VantageId,
  /** Re-run one check on one endpoint instead of the whole vantage. */
  only: z.object({ checkId: z.string(), endpointId: z.string() }).optional(),
});

export const ItemState = z.enum(["queued", "running", ...measuredVerdicts]);
export type ItemState = z.infer<typeof ItemState>;

export const RunItem = z.object({
  checkId: z.string(),
  endpointId: z.string(),
  state: ItemState,
  /** The outcome's sentence once judged. */
  message: z.string(),
});
export type RunItem = z.infer<typeof RunItem>;

/** A run's live state; `run:progress` carries it whole, batched a few times a second at most. */
export const RunProgress = z.object({
  runId: z.string(),
  vantage: VantageId,
  status: z.enum(["running", "completed", "stopped", "failed"]),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  items: z.array(RunItem),
  /** Why the run stopped or failed, in a sentence. */
  message: z.string(),
});
export type RunProgress = z.infer<typeof RunProgress>;
