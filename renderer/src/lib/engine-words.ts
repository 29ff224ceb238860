// The engine's sentences are shared with the command line; a few name a command-line option ("(use --ca)", "use
// --user with --password-env"). On screen they say what to do here instead. Results already recorded keep their
// words in the plan, so they are shown this way too, whatever version recorded them.
const REWRITES: readonly (readonly [RegExp, string])[] = [
  [
    /\s*\(use --ca\)\.?$/,
    ". Add the commissioning CA certificate above, then choose the PDF again.",
  ],
  [
    /use --user with --password-env, or give the endpoint a SQL credential in the plan\.?/,
    "add a SQL credential under Plan setup, SQL credentials, and choose it in this endpoint.",
  ],
  [
    /\(--servername NAME on the command line, or the endpoint's server name in the plan\)/,
    "(the endpoint's SNI name, under Plan setup)",
  ],
];

/** An engine sentence as the app says it: no command-line options. */
export function inAppWords(message: string): string {
  return REWRITES.reduce(
    (text, [pattern, replacement]) => text.replace(pattern, replacement),
    message,
  );
}
