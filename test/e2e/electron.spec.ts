// The desktop app's smoke test. It needs the Electron binary, which cannot be downloaded on every machine.
import { _electron as electron, expect, test } from "@playwright/test";
import { resolve } from "node:path";
import {
  ELECTRON_MISSING_REASON,
  findElectronRuntime,
} from "../../electron/cli/electron-runtime";

const projectRoot = resolve(import.meta.dirname, "../..");
const electronBinary = findElectronRuntime(projectRoot);

test("the desktop window opens sandboxed, shows the version and the start screen", async () => {
  test.skip(
    electronBinary === null,
    `Electron smoke test not run: ${ELECTRON_MISSING_REASON}`,
  );
  const app = await electron.launch({
    executablePath: electronBinary ?? "",
    args: [projectRoot],
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId("app-version")).toHaveText(
      /^Cellcert \d+\.\d+\.\d+ · ruleset /,
    );
    await expect(window.getByText("Desktop")).toBeVisible();
    // The start screen as the desktop shows it: plans open through main's own dialog.
    await expect(
      window.getByRole("heading", { name: "Commission a plant" }),
    ).toBeVisible();
    await expect(
      window.getByRole("button", { name: "Open a plan file…" }),
    ).toBeVisible();
    await expect(
      window.getByRole("button", { name: "Start the practice plant" }),
    ).toBeEnabled();
    await window.getByRole("button", { name: "Verify a certificate" }).click();
    await expect(
      window.getByRole("button", { name: "Choose a certificate PDF…" }),
    ).toBeVisible();
    await window.getByRole("button", { name: "Back" }).click();
    // The page sees the bridge and nothing of Node.
    const exposed = await window.evaluate(
      "[typeof window.cellcert, typeof window.require, typeof window.process]",
    );
    expect(exposed).toEqual(["object", "undefined", "undefined"]);
    expect(new URL(window.url()).protocol).toBe("app:");
  } finally {
    await app.close();
  }
});
