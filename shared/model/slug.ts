// Plan ids, file names and certificate numbers from people's words: "Győr body shop" → "gyor-body-shop".

/** Letters the compatibility decomposition does not reduce to ASCII. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  Ł: "L",
  ł: "l",
  Đ: "D",
  đ: "d",
  Ø: "O",
  ø: "o",
  Æ: "AE",
  æ: "ae",
  Œ: "OE",
  œ: "oe",
  ß: "ss",
  Þ: "TH",
  þ: "th",
  ı: "i",
};

/** Latin letters without their marks, the way people spell their names in ASCII: "Łukasz Muñoz" → "Lukasz Munoz". */
export function toAscii(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/./gu, (c) => TRANSLITERATIONS[c] ?? c)
    .replace(/[\u0300-\u036f]/g, "");
}

export function slugify(
  text: string,
  fallback: string,
  maxLength = 60,
): string {
  const slug = toAscii(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/g, "");
  return slug === "" ? fallback : slug;
}

/** A slug not yet in `taken`: the slug itself, or with -2, -3… appended. */
export function uniqueSlug(
  text: string,
  fallback: string,
  taken: ReadonlySet<string>,
): string {
  const base = slugify(text, fallback, 55);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
