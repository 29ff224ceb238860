// Handlers for runs: the preview, start, stop, and the live state for a page that reloads mid-run.
import type { Handlers } from "../../../shared/contract/schemas";
import { laptopAddresses } from "../net";
import type { Runner } from "../runner/runner";

type RunChannels =
  "laptop:addresses" | "run:preview" | "run:start" | "run:stop" | "run:current";

export function runHandlers({
  runner,
}: {
  runner: Runner;
}): Pick<Handlers, RunChannels> {
  return {
    "laptop:addresses": () => Promise.resolve(laptopAddresses()),
    "run:preview": ({ vantage }) => runner.preview(vantage),
    "run:start": (request) => runner.start(request),
    "run:stop": async () => {
      await runner.stop();
      return null;
    },
    "run:current": () => Promise.resolve(runner.current()),
  };
}
