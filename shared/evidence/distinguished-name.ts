// The one reader and writer of distinguished names as Cellcert prints them: one line, most specific first, RFC 4514
// escaping ("CN=Doe\, John, O=Müller \+ Söhne, C=DE"). Node's X509Certificate prints a name one attribute a line,
// root-most first, with OpenSSL's RFC 2253 escaping (ASN1_STRFLGS_ESC_2253 | ESC_CTRL, UTF-8 kept as is, " + "
// between the attributes of a multi-valued RDN); oneLineName turns that into the line. nameAttribute reads any
// such line back, escapes and all, so a comma inside a value never ends it and "CN=" inside a value is no CN.

/** One attribute of a name: its type as printed ("CN", "O", "emailAddress", or an OID) and its value, unescaped. */
export interface NameAttribute {
  type: string;
  value: string;
}

/** "C=DE\nO=Plant\nCN=mes01" (Node's form) → "CN=mes01, O=Plant, C=DE", most specific first. */
export function oneLineName(nodeName: string): string {
  return nodeName
    .split("\n")
    .filter((part) => part !== "")
    .reverse()
    .join(", ");
}

/**
 * A value escaped as RFC 4514 §2.4 (and OpenSSL's ESC_2253 | ESC_CTRL, which Node's names carry) escapes it:
 * `"+,;<>\` anywhere, a leading space or "#", a trailing space, and control characters as \XX.
 */
export function escapeNameValue(value: string): string {
  const chars = Array.from(value); // by code point: escaping never splits a character
  let escaped = "";
  for (const [index, char] of chars.entries()) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f)
      escaped += `\\${code.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (
      '"+,;<>\\'.includes(char) ||
      (index === 0 && (char === " " || char === "#")) ||
      (index === chars.length - 1 && char === " ")
    )
      escaped += `\\${char}`;
    else escaped += char;
  }
  return escaped;
}

/**
 * The attributes of a one-line name, in its order (most specific first for Cellcert's lines), each RDN's
 * attributes flattened: RFC 4514 §3 — RDNs separated by ",", a multi-valued RDN's attributes by "+", "\" escaping
 * a special character or two hex digits (UTF-8 bytes). Spaces around the separators are allowed (Node and RFC 1779
 * put them there); an escaped space is part of the value. A "#…" value (BER, hex) is kept as written. Never
 * throws: text that is not a name yields what could be read (an attribute without "=" is dropped).
 */
export function parseName(name: string): NameAttribute[] {
  const attributes: NameAttribute[] = [];
  /** The current attribute's characters, each marked when it was escaped (an escaped space is the value's). */
  let part: { text: string; escaped: boolean }[] = [];
  let bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length === 0) return;
    part.push({ text: utf8(bytes), escaped: true });
    bytes = [];
  };
  const finish = (): void => {
    flushBytes();
    const equals = part.findIndex((c) => c.text === "=" && !c.escaped);
    if (equals > 0) {
      const type = part
        .slice(0, equals)
        .map((c) => c.text)
        .join("")
        .trim();
      const value = part.slice(equals + 1);
      const isSpace = (c: { text: string; escaped: boolean } | undefined) =>
        c !== undefined && c.text === " " && !c.escaped;
      while (isSpace(value[0])) value.shift();
      while (isSpace(value[value.length - 1])) value.pop();
      if (type !== "")
        attributes.push({ type, value: value.map((c) => c.text).join("") });
    }
    part = [];
  };
  for (let i = 0; i < name.length; i++) {
    const char = name[i] ?? "";
    if (char === "\\" && i + 1 < name.length) {
      const pair = name.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(pair)) {
        bytes.push(parseInt(pair, 16));
        i += 2;
        continue;
      }
      flushBytes();
      part.push({ text: name[i + 1] ?? "", escaped: true });
      i += 1;
      continue;
    }
    flushBytes();
    if (char === "," || char === "+") finish();
    else part.push({ text: char, escaped: false });
  }
  finish();
  return attributes;
}

/** The first value of an attribute type ("CN", "O"; case-insensitive, RFC 4514 §2.3) in a one-line name; "" when it has none. */
export function nameAttribute(name: string, type: string): string {
  const wanted = type.toLowerCase();
  return (
    parseName(name).find((attribute) => attribute.type.toLowerCase() === wanted)
      ?.value ?? ""
  );
}

/** The common name (CN) of a one-line name; "" when it has none. */
export function commonName(name: string): string {
  return nameAttribute(name, "CN");
}

/** What sentences call a certificate by: its CN, or the whole name when it has none. */
export function shortName(name: string): string {
  return commonName(name) || name;
}

/** Hex-escaped bytes (RFC 4514 "\\C3\\BC") as text: UTF-8, or one character per byte where they are not UTF-8. */
function utf8(bytes: readonly number[]): string {
  try {
    return decodeURIComponent(
      bytes.map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join(""),
    );
  } catch {
    return String.fromCharCode(...bytes);
  }
}
