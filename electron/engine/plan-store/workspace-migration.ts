// A flat workspace (plans side by side in one folder, sharing one identities/ folder, where one plan's identity
// could overwrite another's) moved into a folder per plan (DESIGN §11), when the app or `serve` opens it. Nothing
// is lost and every step is crash-safe: the plan's files are first COPIED into a hidden folder beside a copy of
// the plan (`plan.cellcert.json.bak`, the old plan kept); the one commit is the rename of the plan file into it;
// then the folder gets its name. A crash before the commit leaves only copies, which the next start removes;
// after it, the next start finishes the move. The plan file itself moves byte for byte: its files keep their
// place relative to it in the new folder, so its references stay true. Originals in the shared identities/
// folder are removed only once a byte-identical copy sits in a plan's folder and no flat plan is left that may
// still need them. `run --plan`, `certify --plan` and
// `check-plan` never come here.
import { randomBytes } from "node:crypto";
import {
  copyFile,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
} from "node:fs/promises";
import { dirname, join } from "node:path";
import { PLAN_FILE_SUFFIX } from "../../../shared/model/plan";
import { slugify } from "../../../shared/model/slug";
import { errorCode, UserError } from "../errors";
import { syncFolder, writeFileAtomic } from "./atomic-write";
import { readPlanFile } from "./plan-file";
import {
  copyPlanFiles,
  filesOfPlan,
  IDENTITY_FOLDER,
  PLAN_FILE_NAME,
} from "./plan-folder";
import type { RecentPlans } from "./recent-plans";

export interface WorkspaceMigration {
  /** Plans moved into folders of their own, as names in the workspace. */
  moved: { from: string; to: string }[];
  /** Plans left where they were, with the reason (a file that cannot be read cannot be moved safely). */
  left: { file: string; reason: string }[];
}

/** A migration under way: a hidden folder of the workspace, holding its marker. */
const MIGRATING_PREFIX = ".migrating-";
const MARKER = ".migration.json";

export async function migrateWorkspace(
  workspace: string,
  options: { recent?: RecentPlans } = {},
): Promise<WorkspaceMigration> {
  const result: WorkspaceMigration = { moved: [], left: [] };
  for (const entry of await readdir(workspace, { withFileTypes: true })) {
    if (entry.isDirectory())
      await recover(workspace, entry.name, result, options.recent);
  }
  const flat = (await readdir(workspace, { withFileTypes: true })).filter(
    (e) =>
      e.isFile() &&
      !e.name.startsWith(".") &&
      e.name.endsWith(PLAN_FILE_SUFFIX),
  );
  for (const entry of flat) {
    try {
      await migratePlan(workspace, entry.name, result, options.recent);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      result.left.push({ file: entry.name, reason: error.message });
    }
  }
  if (result.left.length === 0) await removeMovedOriginals(workspace);
  return result;
}

async function migratePlan(
  workspace: string,
  name: string,
  result: WorkspaceMigration,
  recent: RecentPlans | undefined,
): Promise<void> {
  const source = join(workspace, name);
  const { plan } = await readPlanFile(source);
  const staging = join(
    workspace,
    `${MIGRATING_PREFIX}${randomBytes(6).toString("hex")}`,
  );
  await mkdir(staging);
  await writeFileAtomic(join(staging, MARKER), JSON.stringify({ from: name }));
  // Copies only, until the commit: the plan's files, then the old plan as the new folder's .bak.
  const target = join(staging, PLAN_FILE_NAME);
  const copied = await copyPlanFiles(source, target, plan);
  for (const file of filesOfPlan(copied)) await syncFile(join(staging, file));
  await copyFile(source, `${target}.bak`);
  await syncFile(`${target}.bak`);
  // The staging folder was empty, so nothing was numbered and the references stand as they are.
  if (copied !== plan) throw new Error(`Migrating ${name} renamed its files.`);
  // The commit: the plan file itself moves in, byte for byte.
  await rename(source, target);
  await syncFolder(staging, process.platform);
  await syncFolder(workspace, process.platform);
  await finish(workspace, staging, name, result, recent);
}

/** Finishes (after the commit) or undoes (before it) a migration a crash interrupted; leaves other folders alone. */
async function recover(
  workspace: string,
  folderName: string,
  result: WorkspaceMigration,
  recent: RecentPlans | undefined,
): Promise<void> {
  const folder = join(workspace, folderName);
  const from = await markerOf(folder);
  if (from === null) return;
  if (!folderName.startsWith(MIGRATING_PREFIX)) {
    // Named already: only the old backup's move and the marker were left to do.
    await finishTail(workspace, folder, from, result, recent);
    return;
  }
  if (await exists(join(folder, PLAN_FILE_NAME)))
    await finish(workspace, folder, from, result, recent);
  else await rm(folder, { recursive: true, force: true }); // copies only: the flat plan is untouched
}

async function finish(
  workspace: string,
  staging: string,
  from: string,
  result: WorkspaceMigration,
  recent: RecentPlans | undefined,
): Promise<void> {
  const stem = slugify(from.slice(0, -PLAN_FILE_SUFFIX.length), "plan");
  let folder = "";
  for (let n = 1; n <= 999; n++) {
    const candidate = n === 1 ? stem : `${stem}-${n}`;
    if (await exists(join(workspace, candidate))) continue;
    folder = candidate;
    break;
  }
  if (folder === "")
    throw new Error(`The workspace holds 999 folders named ${stem}.`);
  await rename(staging, join(workspace, folder));
  await syncFolder(workspace, process.platform);
  await finishTail(workspace, join(workspace, folder), from, result, recent);
}

/** After the folder has its name: the flat plan's own older backup moves in, the marker goes, the recent list follows. */
async function finishTail(
  workspace: string,
  folder: string,
  from: string,
  result: WorkspaceMigration,
  recent: RecentPlans | undefined,
): Promise<void> {
  const oldBackup = join(workspace, `${from}.bak`);
  if (await exists(oldBackup))
    await rename(oldBackup, join(folder, `${from}.bak`));
  const to = join(folder, PLAN_FILE_NAME);
  await recent?.moved(join(workspace, from), to);
  await rm(join(folder, MARKER), { force: true });
  await syncFolder(folder, process.platform);
  result.moved.push({
    from,
    to: `${dirname(to).slice(workspace.length + 1)}/${PLAN_FILE_NAME}`,
  });
}

/**
 * The shared identities/ folder of the flat layout, emptied of what moved: a file goes once a byte-identical copy
 * sits at the same place in a plan's folder; anything else stays (nothing is lost), and the folder goes when empty.
 */
async function removeMovedOriginals(workspace: string): Promise<void> {
  const shared = join(workspace, IDENTITY_FOLDER);
  let names: string[];
  try {
    names = await readdir(shared);
  } catch (error) {
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return;
    throw error;
  }
  const folders = (await readdir(workspace, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => join(workspace, e.name));
  for (const name of names) {
    const original = join(shared, name);
    const bytes = await readFile(original).catch(() => null);
    if (bytes === null) continue;
    for (const folder of folders) {
      const copy = await readFile(join(folder, IDENTITY_FOLDER, name)).catch(
        () => null,
      );
      if (copy?.equals(bytes) === true) {
        await rm(original);
        break;
      }
    }
  }
  try {
    await rmdir(shared);
  } catch (error) {
    if (errorCode(error) !== "ENOTEMPTY" && errorCode(error) !== "EEXIST")
      throw error;
  }
}

async function markerOf(folder: string): Promise<string | null> {
  try {
    const parsed = JSON.parse(
      await readFile(join(folder, MARKER), "utf8"),
    ) as unknown;
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "from" in parsed &&
      typeof parsed.from === "string" &&
      parsed.from.endsWith(PLAN_FILE_SUFFIX) &&
      !parsed.from.includes("/") &&
      !parsed.from.includes("\\")
    )
      return parsed.from;
    return null;
  } catch {
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
}

/** A copied file made durable before the commit that makes it the only copy. */
async function syncFile(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, "r+");
    await handle.sync();
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error; // named by the plan, never made
  } finally {
    await handle?.close();
  }
}
