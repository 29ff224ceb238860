// Plan ids and file names from people's words: "Győr body shop" → "gyor-body-shop".

export function slugify(
  text: string,
  fallback: string,
  maxLength = 60,
): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/gi, "l")
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
