// Where plans live. The desktop app asks with its own dialogs (paths never come from the renderer); browser
// mode keeps each plan in a folder of its own in the workspace (DESIGN §11) and takes plain names; the CLI opens
// the one plan it is given by path and moves nothing.
import { mkdir, readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PLAN_FILE_SUFFIX } from "../../../shared/model/plan";
import { slugify } from "../../../shared/model/slug";
import { errorCode, UserError } from "../errors";
import { PLAN_FILE_NAME } from "./plan-folder";
import type { RecentPlans } from "./recent-plans";
import {
  migrateWorkspace,
  type WorkspaceMigration,
} from "./workspace-migration";

export type OpenRequest =
  { kind: "dialog" } | { kind: "workspace"; file: string };

export interface WorkspaceEntry {
  file: string;
  modifiedAt: string;
  sizeBytes: number;
}

export interface PlanLocations {
  readonly mode: "desktop" | "workspace";
  /** Where a new plan goes; null when the user cancelled. */
  chooseNewLocation(suggestedFileName: string): Promise<string | null>;
  /** Which plan to open; null when the user cancelled. */
  chooseOpenLocation(request: OpenRequest): Promise<string | null>;
  /** The plans in the workspace; empty on the desktop, where plans live wherever the user keeps them. */
  listWorkspace(): Promise<WorkspaceEntry[]>;
}

/** "Győr body shop" → "gyor-body-shop.cellcert.json" */
export function planFileName(plantName: string): string {
  return `${slugify(plantName, "plan")}${PLAN_FILE_SUFFIX}`;
}

/**
 * How a plan's place is shown: `<plan-id>/plan.cellcert.json` for a plan in a folder of its own, the file name
 * otherwise. In a workspace it is also the name the page opens it by.
 */
export function planLabel(path: string): string {
  return basename(path) === PLAN_FILE_NAME
    ? `${basename(dirname(path))}/${PLAN_FILE_NAME}`
    : basename(path);
}

export interface WorkspaceLocations extends PlanLocations {
  /**
   * Moves a flat workspace (plans side by side, one shared identities/) into a folder per plan, once; every other
   * method waits for it. Resolves with what was moved and what was left where it was, and why.
   */
  prepare(): Promise<WorkspaceMigration>;
}

/** The app's and `serve`'s workspace: `<workspace>/<plan-id>/plan.cellcert.json` with identities/ and certificates/. */
export function workspaceLocations(
  workspace: string,
  options: { recent?: RecentPlans } = {},
): WorkspaceLocations {
  let prepared: Promise<WorkspaceMigration> | null = null;
  const prepare = (): Promise<WorkspaceMigration> => {
    prepared ??= mkdir(workspace, { recursive: true }).then(() =>
      migrateWorkspace(workspace, options),
    );
    return prepared;
  };
  return {
    mode: "workspace",
    prepare,
    async chooseNewLocation(suggestedFileName) {
      await prepare();
      const stem = slugify(
        suggestedFileName.endsWith(PLAN_FILE_SUFFIX)
          ? suggestedFileName.slice(0, -PLAN_FILE_SUFFIX.length)
          : suggestedFileName,
        "plan",
      );
      // The folder is the claim: mkdir fails when another plan has the name, and the next number is tried.
      for (let n = 1; n <= 999; n++) {
        const folder = join(workspace, n === 1 ? stem : `${stem}-${n}`);
        try {
          await mkdir(folder);
        } catch (error) {
          if (errorCode(error) === "EEXIST") continue;
          throw error;
        }
        return join(folder, PLAN_FILE_NAME);
      }
      throw new UserError(
        "conflict",
        `The workspace ${workspace} already holds 999 plans named ${stem}; choose another name.`,
      );
    },
    async chooseOpenLocation(request) {
      if (request.kind !== "workspace") {
        throw new UserError(
          "invalid-input",
          "In browser mode plans are opened from the workspace by name.",
        );
      }
      await prepare();
      return join(workspace, checkWorkspaceFileName(request.file));
    },
    async listWorkspace() {
      await prepare();
      const names = await readdir(workspace, { withFileTypes: true });
      const files = names.flatMap((entry) => {
        if (entry.name.startsWith(".")) return [];
        if (entry.isDirectory()) return [`${entry.name}/${PLAN_FILE_NAME}`];
        // A plan the migration had to leave where it was (it could not be read): shown, so its problem is seen.
        return entry.isFile() && entry.name.endsWith(PLAN_FILE_SUFFIX)
          ? [entry.name]
          : [];
      });
      const entries = await Promise.all(
        files.map(async (file) => {
          try {
            const info = await stat(join(workspace, file));
            return info.isFile()
              ? [
                  {
                    file,
                    modifiedAt: info.mtime.toISOString(),
                    sizeBytes: info.size,
                  },
                ]
              : [];
          } catch (error) {
            if (errorCode(error) === "ENOENT") return []; // a folder that holds no plan (practice/, …)
            throw error;
          }
        }),
      );
      return entries
        .flat()
        .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
    },
  };
}

/** The CLI's: the plan is given by path; nothing is chosen, listed or moved (`run`, `certify`, `check-plan`). */
export function givenPlanLocations(): PlanLocations {
  const refuse = (): Promise<never> =>
    Promise.reject(
      new UserError(
        "invalid-input",
        "The command line works on the plan given with --plan.",
      ),
    );
  return {
    mode: "workspace",
    chooseNewLocation: refuse,
    chooseOpenLocation: refuse,
    listWorkspace: () => Promise.resolve([]),
  };
}

/**
 * A plan of the workspace by name: `<plan-id>/plan.cellcert.json`, or a plain `<name>.cellcert.json` left in the
 * workspace's top folder; never another path.
 */
export function checkWorkspaceFileName(file: string): string {
  if (/^[a-z0-9][a-z0-9-]{0,99}\/plan\.cellcert\.json$/.test(file)) return file;
  if (
    basename(file) !== file ||
    file.startsWith(".") ||
    !file.endsWith(PLAN_FILE_SUFFIX) ||
    file.length > 200
  ) {
    throw new UserError(
      "invalid-input",
      `"${file}" is not a plan in the workspace: give its folder's plan, like gyor-body-shop/${PLAN_FILE_NAME}.`,
    );
  }
  return file;
}
