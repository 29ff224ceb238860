// Errors a user can meet: a code the program branches on and a sentence the user can act on.
import type { ErrorCode } from "../../shared/contract/channels";

export class UserError extends Error {
  override readonly name = "UserError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** The system's error code of a Node error ("ENOENT", "ECONNRESET", "ERR_SSL_…"), or "" when it has none. */
export function errorCode(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code } = error;
    if (typeof code === "string") return code;
  }
  return "";
}
