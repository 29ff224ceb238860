// The one fixture every E2E test drives the app through: browser mode started from the built CLI,
// and a page that fails the test on any console error or uncaught page error.
import { test as base, expect, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SCREENSHOT_DIR = "test-output/screenshots";

export interface BrowserModeHost {
  /** The printed address, with the token in its fragment. */
  url: string;
  origin: string;
  workspace: string;
}

export class App {
  readonly problems: string[] = [];
  constructor(
    readonly page: Page,
    readonly host: BrowserModeHost,
  ) {
    page.on("console", (message) => {
      if (message.type() === "error")
        this.problems.push(`console error: ${message.text()}`);
    });
    page.on("pageerror", (error) =>
      this.problems.push(`page error: ${error.message}`),
    );
  }

  async open(): Promise<void> {
    await this.page.goto(this.host.url);
  }

  async waitForVersion(): Promise<string> {
    const version = this.page.getByTestId("app-version");
    await expect(version).toHaveText(/^Cellcert \d+\.\d+\.\d+ · ruleset /);
    return (await version.textContent()) ?? "";
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }
}

async function startBrowserMode(): Promise<{
  host: BrowserModeHost;
  child: ChildProcess;
}> {
  const workspace = mkdtempSync(join(tmpdir(), "cellcert-e2e-"));
  const child = spawn(
    process.execPath,
    ["out/cli/cellcert.js", "serve", "--workspace", workspace],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`browser mode did not start:\n${output}`)),
      15_000,
    );
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) =>
      reject(new Error(`browser mode exited with ${code}:\n${output}`)),
    );
  });
  return { host: { url, origin: new URL(url).origin, workspace }, child };
}

export const test = base.extend<{ app: App }, { browserMode: BrowserModeHost }>(
  {
    browserMode: [
      // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature needs the destructuring.
      async ({}, use) => {
        const { host, child } = await startBrowserMode();
        await use(host);
        child.kill("SIGINT");
      },
      { scope: "worker" },
    ],
    app: async ({ page, browserMode }, use) => {
      const app = new App(page, browserMode);
      await use(app);
      expect(app.problems, "the page logged errors").toEqual([]);
    },
  },
);

export { expect };
