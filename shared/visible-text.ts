// Text that came from the network (certificate subjects, HTTP headers, server banners, error texts) made safe to
// show: the one helper every CLI printer and the certificate PDF pass their text through, so a hostile server
// can neither rewrite the terminal (escape sequences, carriage returns) nor reorder what the reader sees
// (Unicode bidi overrides and isolates, U+202A–U+202E, U+2066–U+2069).
//
// Escaped, visibly, as \uXXXX (UTF-16 code units, upper-case hex — also a valid JSON escape, so the same text
// can be printed inside a JSON string without changing what it decodes to):
// - C0 and C1 controls and DEL (Unicode Cc), except the line breaks the caller keeps;
// - format characters (Cf): bidi embeddings, overrides and isolates, marks, zero-width characters, the soft
//   hyphen, tags;
// - the line and paragraph separators U+2028 and U+2029, which some terminals and viewers break lines at;
// - lone surrogates (Cs), which no font draws.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

export interface VisibleTextOptions {
  /** Characters left as they are, e.g. "\n" where the text's own line breaks are wanted. Default: none. */
  keep?: string;
}

/** `text` with every unsafe character written as a visible \uXXXX escape. */
export function visibleText(
  text: string,
  options: VisibleTextOptions = {},
): string {
  const keep = options.keep ?? "";
  return text.replace(UNSAFE, (character) =>
    keep.includes(character) ? character : escapeUnits(character),
  );
}

function escapeUnits(character: string): string {
  let out = "";
  for (let i = 0; i < character.length; i++)
    out += `\\u${character.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0")}`;
  return out;
}
