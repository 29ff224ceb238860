// The certificate number `<PLANT>-<YYYYMMDD>-<n>` (DESIGN §10) and the next audit date: pure functions of the
// plan and the laptop clock. Dates are UTC, as everywhere on the certificate.
import type { Plan } from "../../../shared/model/plan";
import { toAscii } from "../../../shared/model/slug";

/** "Győr body shop" → "GYOR-BODY-SHOP": ASCII capitals, digits and single hyphens, at most 32 characters. */
export function plantCode(plantName: string): string {
  const code = toAscii(plantName)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32)
    .replace(/-+$/, "");
  return code === "" ? "PLANT" : code;
}

/** "20260302" */
export function utcDateStamp(time: Date): string {
  return time.toISOString().slice(0, 10).replaceAll("-", "");
}

/** The next number for a certificate issued at `now`: n counts this plan's certificates of that day. */
export function nextCertificateNumber(plan: Plan, now: Date): string {
  const prefix = `${plantCode(plan.plant.name)}-${utcDateStamp(now)}-`;
  const taken = plan.certificates
    .filter((c) => c.number.startsWith(prefix))
    .map((c) => Number(c.number.slice(prefix.length)))
    .filter((n) => Number.isInteger(n) && n > 0);
  const n = Math.max(0, taken.length, ...taken) + 1;
  return `${prefix}${n}`;
}

/** `months` after `from` (UTC), clamped to the month's last day: 31 January + 1 month = 28/29 February. */
export function addMonths(from: Date, months: number): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(from.getUTCDate(), lastDay)));
}

/** The next audit date, "YYYY-MM-DD": policy.reauditMonths after the certificate is issued. */
export function nextAuditDate(plan: Plan, issuedAt: Date): string {
  return addMonths(issuedAt, plan.policy.reauditMonths)
    .toISOString()
    .slice(0, 10);
}
