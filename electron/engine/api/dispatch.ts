// The one place a request is judged: input parsed by its schema, the handler called, the answer wrapped.
// Electron's IPC registration and the browser host both call it, after their own checks of who is asking.
import type { z } from "zod";
import type {
  Envelope,
  RequestChannel,
} from "../../../shared/contract/channels";
import {
  requestSchemas,
  type Handlers,
  type Output,
} from "../../../shared/contract/schemas";
import { isUserError } from "../errors";
import type { Logger } from "../log";

export async function dispatch<C extends RequestChannel>(
  handlers: Handlers,
  channel: C,
  rawInput: unknown,
  log: Pick<Logger, "error">,
): Promise<Envelope<Output<C>>> {
  const schema = requestSchemas[channel];
  const input = schema.input.safeParse(rawInput);
  if (!input.success) {
    return {
      ok: false,
      error: {
        code: "invalid-input",
        message: describeIssues(channel, input.error),
      },
    };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    const data = schema.output.parse(await handler(input.data)) as Output<C>;
    return { ok: true, data };
  } catch (error) {
    if (isUserError(error))
      return { ok: false, error: { code: error.code, message: error.message } };
    log.error(
      `${channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      ok: false,
      error: {
        code: "internal",
        message: `Cellcert could not complete "${channel}"; the log has the details.`,
      },
    };
  }
}

/** "app:info: input.port: Too big: expected number to be <=65535" — one line per issue, with the field's path. */
export function describeIssues(channel: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const where =
      issue.path.length > 0 ? `input.${issue.path.join(".")}` : "input";
    return `${where}: ${issue.message}`;
  });
  return `${channel}: ${lines.join("; ")}`;
}
