// Where plans live. The desktop app asks with its own dialogs (paths never come from the renderer);
// browser mode and the CLI keep plans in a workspace folder and take plain file names.
import { mkdir, readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { PLAN_FILE_SUFFIX } from "../../../shared/model/plan";
import { slugify } from "../../../shared/model/slug";
import { UserError } from "../errors";

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

export function workspaceLocations(workspace: string): PlanLocations {
  const ensure = (): Promise<string | undefined> =>
    mkdir(workspace, { recursive: true });
  return {
    mode: "workspace",
    async chooseNewLocation(suggestedFileName) {
      await ensure();
      const existing = new Set(await readdir(workspace));
      const stem = suggestedFileName.slice(0, -PLAN_FILE_SUFFIX.length);
      for (let n = 1; n <= 999; n++) {
        const candidate =
          n === 1 ? suggestedFileName : `${stem}-${n}${PLAN_FILE_SUFFIX}`;
        if (!existing.has(candidate)) return join(workspace, candidate);
      }
      throw new UserError(
        "conflict",
        `The workspace ${workspace} already holds 999 plans named ${stem}; choose another name.`,
      );
    },
    chooseOpenLocation(request) {
      if (request.kind !== "workspace") {
        return Promise.reject(
          new UserError(
            "invalid-input",
            "In browser mode plans are opened from the workspace by file name.",
          ),
        );
      }
      return Promise.resolve(
        join(workspace, checkWorkspaceFileName(request.file)),
      );
    },
    async listWorkspace() {
      await ensure();
      const names = (await readdir(workspace)).filter((name) =>
        name.endsWith(PLAN_FILE_SUFFIX),
      );
      const entries = await Promise.all(
        names.map(async (file) => {
          const info = await stat(join(workspace, file));
          return {
            file,
            modifiedAt: info.mtime.toISOString(),
            sizeBytes: info.size,
          };
        }),
      );
      return entries.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
    },
  };
}

/** A workspace file name: a plain name ending in .cellcert.json, never a path. */
export function checkWorkspaceFileName(file: string): string {
  if (
    basename(file) !== file ||
    file.startsWith(".") ||
    !file.endsWith(PLAN_FILE_SUFFIX) ||
    file.length > 200
  ) {
    throw new UserError(
      "invalid-input",
      `"${file}" is not a plan in the workspace: give a file name ending in ${PLAN_FILE_SUFFIX}, without folders.`,
    );
  }
  return file;
}
