// The engine says what to do in neutral words; the command line adds its option hints, the app says where on
// screen. Results recorded by earlier versions keep their words in the plan, and one of those named command-line
// options: it is shown in today's words, whatever version recorded it.
const RECORDED_BEFORE: ReadonlyMap<string, string> = new Map([
  [
    "No SQL login was given, so this needs one: use --user with --password-env, or give the endpoint a SQL credential in the plan.",
    "No SQL login was given: this check logs in to SQL Server and needs one.",
  ],
]);

/**
 * The one engine sentence that still names its command-line option beside the plan's field ("needs a server
 * name"): on screen only the field is named.
 */
const SERVER_NAME_HINT =
  /\(--servername NAME on the command line, or the endpoint's server name in the plan\)/;

/** An engine sentence as the app says it: a sentence of an earlier version in today's words, no option names. */
export function inAppWords(message: string): string {
  return (RECORDED_BEFORE.get(message) ?? message).replace(
    SERVER_NAME_HINT,
    "(the endpoint's SNI name, under Plan setup)",
  );
}

/** What the app adds to a not-tested result, by its reason: where on screen to do what the sentence asks. */
export function inAppHint(reason: string): string | null {
  return reason === "no credentials"
    ? "Add a SQL credential under Plan setup, SQL credentials, and choose it for this endpoint."
    : null;
}
