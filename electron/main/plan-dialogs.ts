// Desktop plan locations: every path comes from main's own dialogs, never from the renderer.
import { dialog, type BrowserWindow } from "electron";
import { PLAN_FILE_SUFFIX } from "../../shared/model/plan";
import type { PlanLocations } from "../engine/plan-store/locations";

const PLAN_FILTERS = [{ name: "Cellcert plan", extensions: ["cellcert.json"] }];

export function desktopPlanLocations(
  currentWindow: () => BrowserWindow | null,
): PlanLocations {
  return {
    mode: "desktop",
    async chooseNewLocation(suggestedFileName) {
      const window = currentWindow();
      const options = {
        title: "Save the plan",
        defaultPath: suggestedFileName,
        filters: PLAN_FILTERS,
      };
      const answer =
        window === null
          ? await dialog.showSaveDialog(options)
          : await dialog.showSaveDialog(window, options);
      if (answer.canceled || answer.filePath === "") return null;
      return answer.filePath.endsWith(PLAN_FILE_SUFFIX)
        ? answer.filePath
        : `${answer.filePath.replace(/\.json$/, "")}${PLAN_FILE_SUFFIX}`;
    },
    async chooseOpenLocation() {
      const window = currentWindow();
      const options = {
        title: "Open a plan",
        filters: PLAN_FILTERS,
        properties: ["openFile" as const],
      };
      const answer =
        window === null
          ? await dialog.showOpenDialog(options)
          : await dialog.showOpenDialog(window, options);
      return answer.canceled ? null : (answer.filePaths[0] ?? null);
    },
    listWorkspace: () => Promise.resolve([]),
  };
}
