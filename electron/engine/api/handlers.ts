// The composition of every request handler. Each feature contributes its own; the type demands all channels.
import type { AppMode, Handlers } from "../../../shared/contract/schemas";
import { appInfo } from "../about";
import type { EventHub } from "../events";
import type { FilePlatform } from "../files";
import type { Logger } from "../log";
import type { Runner } from "../runner/runner";
import type { CertificateVerifier } from "../signing/verifier";
import { documentHandlers } from "./document-handlers";
import { planHandlers, type PlanServices } from "./plan-handlers";
import type { PracticeControl, PracticeServices } from "./practice-handlers";
import { reauditHandlers } from "./reaudit-handlers";
import { runHandlers } from "./run-handlers";

export interface EngineContext extends PlanServices, PracticeServices {
  mode: AppMode;
  events: EventHub;
  log: Logger;
  runner: Runner;
  files: FilePlatform;
  verifier: CertificateVerifier;
}

export function createHandlers(
  context: EngineContext,
  practice: PracticeControl,
): Handlers {
  return {
    "app:info": () => Promise.resolve(appInfo(context.mode)),
    ...planHandlers(context),
    ...runHandlers(context),
    ...documentHandlers({
      ...context,
      practiceTimestampAuthority: practice.timestampAuthority,
    }),
    ...practice.handlers,
    ...reauditHandlers(context),
  };
}
