// Exit codes of every command (DESIGN §2).
export const ExitCode = {
  /** Nothing failed; not-tested items are listed, not counted. */
  ok: 0,
  /** At least one check failed, or `verify` found the document invalid or modified. */
  failed: 1,
  /** Nothing could be judged: unreachable target, unreadable file, bad arguments. */
  unjudged: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
