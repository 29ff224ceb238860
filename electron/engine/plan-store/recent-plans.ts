// The plans opened lately, newest first, kept in a small file of the app's own (never in a plan).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "./atomic-write";

export const MAX_RECENT_PLANS = 10;

const RecentEntry = z.object({
  path: z.string(),
  plantName: z.string(),
  openedAt: z.string(),
});
const RecentFile = z.object({ plans: z.array(RecentEntry) });
export type RecentEntry = z.infer<typeof RecentEntry>;

export interface RecentPlan extends RecentEntry {
  /** Stable id the renderer may send back to reopen the plan; the path itself stays in Node. */
  id: string;
}

export function recentPlanId(path: string): string {
  return createHash("sha256").update(path).digest("hex").slice(0, 16);
}

export class RecentPlans {
  /** `file` null: nothing is remembered (the CLI keeps no list). */
  constructor(private readonly file: string | null) {}

  async list(): Promise<RecentPlan[]> {
    const entries = await this.read();
    return entries.map((entry) => ({ ...entry, id: recentPlanId(entry.path) }));
  }

  async find(id: string): Promise<RecentPlan | undefined> {
    return (await this.list()).find((entry) => entry.id === id);
  }

  async remember(
    path: string,
    plantName: string,
    now = new Date(),
  ): Promise<void> {
    if (this.file === null) return;
    const entries = (await this.read()).filter((entry) => entry.path !== path);
    entries.unshift({ path, plantName, openedAt: now.toISOString() });
    await writeFileAtomic(
      this.file,
      `${JSON.stringify({ plans: entries.slice(0, MAX_RECENT_PLANS) }, null, 2)}\n`,
    );
  }

  /** A plan moved (into a folder of its own): its entry follows it. */
  async moved(from: string, to: string): Promise<void> {
    if (this.file === null) return;
    const entries = await this.read();
    if (!entries.some((entry) => entry.path === from)) return;
    await writeFileAtomic(
      this.file,
      `${JSON.stringify(
        {
          plans: entries.map((entry) =>
            entry.path === from ? { ...entry, path: to } : entry,
          ),
        },
        null,
        2,
      )}\n`,
    );
  }

  async forget(path: string): Promise<void> {
    if (this.file === null) return;
    const entries = await this.read();
    const kept = entries.filter((entry) => entry.path !== path);
    if (kept.length !== entries.length)
      await writeFileAtomic(
        this.file,
        `${JSON.stringify({ plans: kept }, null, 2)}\n`,
      );
  }

  /** A missing or damaged list is an empty one: it only saves a few clicks. */
  private async read(): Promise<RecentEntry[]> {
    if (this.file === null) return [];
    try {
      const parsed = RecentFile.safeParse(
        JSON.parse(await readFile(this.file, "utf8")),
      );
      return parsed.success ? parsed.data.plans : [];
    } catch {
      return [];
    }
  }
}
