// End-to-end tests: the real renderer in Chromium against browser mode; the Electron smoke test where Electron exists.
import { defineConfig } from "@playwright/test";
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

/** Debian's Chromium, CHROMIUM_PATH, or Playwright's own; none at all stops the run with one line. */
function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].filter(
    (p): p is string => p !== undefined && p !== "",
  );
  const found = candidates.find((path) => existsSync(path));
  if (found !== undefined) return found;
  if (existsSync(chromium.executablePath())) return undefined;
  process.stderr.write(
    "No Chromium for the end-to-end tests: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH to its binary.\n",
  );
  process.exit(1);
}

export default defineConfig({
  testDir: "test/e2e",
  outputDir: "test-output/playwright",
  fullyParallel: false,
  workers: 1,
  forbidOnly: process.env.CI !== undefined,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["./test/e2e/skip-reporter.ts"]],
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
