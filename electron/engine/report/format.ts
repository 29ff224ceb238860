// Small formatting rules the certificate keeps everywhere: times in UTC, dashes for nothing, hashes wrapped on
// octet boundaries (and the fingerprint column of every certificate table), and spans of days said the same way.
import type { Cell, Column } from "./pdf-writer";

/** The width of the fingerprint column: 11 octets a line at 7 pt. */
export const FINGERPRINT_COLUMN_WIDTH = 150;

/** "2026-03-02 10:14 UTC" */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function orDash(text: string | undefined | null): string {
  return text === undefined || text === null || text === "" ? "—" : text;
}

/**
 * A hash split into lines of whole octets, `octetsPerLine` each: "AA:BB:…" stays colon-separated (each line ends
 * after a colon), lower-case hex without separators is cut every two digits. Lines are joined with "\n".
 */
export function hashLines(hash: string, octetsPerLine: number): string {
  const perLine = Math.max(1, Math.floor(octetsPerLine));
  const octets = hash.includes(":")
    ? hash.split(":")
    : (hash.match(/.{1,2}/g) ?? []);
  const separator = hash.includes(":") ? ":" : "";
  const lines: string[] = [];
  for (let i = 0; i < octets.length; i += perLine) {
    const last = i + perLine >= octets.length;
    lines.push(
      octets.slice(i, i + perLine).join(separator) + (last ? "" : separator),
    );
  }
  return lines.join("\n");
}

/** How many octets ("AB:") of a hash fit on a line `width` points wide in DejaVu Sans Mono (0.602 em). */
export function octetsFitting(width: number, size: number): number {
  const advance = 0.602 * size;
  return Math.max(1, Math.floor((width + advance) / (3 * advance)));
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (negative when `to` is earlier), by UTC calendar day. */
export function daysBetween(from: Date, to: Date): number {
  const day = (d: Date): number =>
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(to) - day(from)) / DAY_MS);
}

/** "in 20 days", "in 1 day", "today", "3 days ago" */
export function relativeDays(days: number): string {
  if (days === 0) return "today";
  const n = Math.abs(days);
  const span = `${n} day${n === 1 ? "" : "s"}`;
  return days > 0 ? `in ${span}` : `${span} ago`;
}

/** "+0.4 s", "−1.2 s", "±0.0 s": the laptop clock minus the servers'. */
export function signedSeconds(ms: number): string {
  const seconds = ms / 1000;
  const sign = seconds > 0 ? "+" : seconds < 0 ? "−" : "±";
  return `${sign}${Math.abs(seconds).toFixed(1)} s`;
}

/** Spaces inside the words that must never break across lines ("out of date", check ids are unbroken already). */
export function unbroken(text: string): string {
  return text.replace(/(\d+ )?out of date/gi, (words) =>
    words.replaceAll(" ", "\u00a0"),
  );
}

/** The column of SHA-256 fingerprints every certificate table has: DejaVu Sans Mono at 7 pt. */
export function fingerprintColumn(header: string): Column {
  return { header, width: FINGERPRINT_COLUMN_WIDTH, font: "mono", size: 7 };
}

/** A colon-separated fingerprint on lines of whole octets that fit the fingerprint column. */
export function fingerprintCell(value: string): Cell {
  return {
    text: hashLines(value, octetsFitting(FINGERPRINT_COLUMN_WIDTH - 5, 7)),
    font: "mono",
    nowrap: true,
  };
}
