// The one fixture every E2E test drives the app through: browser mode started from the built CLI, a page that
// fails the test on any console error or uncaught page error, and typed helpers for the wizard's steps
// (driven by roles and labels, the way a person finds things on the screen).
import AxeBuilder from "@axe-core/playwright";
import {
  test as base,
  expect,
  type Download,
  type Locator,
  type Page,
} from "@playwright/test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calendarDay } from "../../shared/verdicts/rollup";

export const SCREENSHOT_DIR = "test-output/screenshots";

export interface BrowserModeHost {
  /** The printed address, with the token in its fragment. */
  url: string;
  origin: string;
  workspace: string;
}

export type PlantVerdictWords =
  "commissioned" | "commissioned with waivers" | "not commissioned";

export class App {
  readonly problems: string[] = [];
  private shots = 0;
  constructor(
    readonly page: Page,
    readonly host: BrowserModeHost,
    private readonly shotPrefix: string,
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

  /**
   * Opens the app and waits until the start screen's first button can be used; returns the milliseconds from
   * navigation start until then, as the page's own clock measured it.
   */
  async openAndTimeFirstInteractive(): Promise<number> {
    await this.open();
    // Runs in the page; a function, not a string, so the page's CSP (no eval) does not stand in the way.
    // The E2E project has no DOM types: the little it reads is described here.
    const handle = await this.page.waitForFunction(() => {
      const page = globalThis as unknown as {
        document: {
          querySelector(selector: string): { offsetParent: unknown } | null;
        };
        performance: { now(): number };
      };
      const button = page.document.querySelector("main button:not([disabled])");
      return button !== null && button.offsetParent !== null
        ? page.performance.now()
        : false;
    });
    return (await handle.jsonValue()) as number;
  }

  /** The whole page, or (`fullPage` false) only what the window shows, as the engineer sees it. */
  async screenshot(name: string, fullPage = true): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path, fullPage });
    return path;
  }

  /** A screenshot of the step just reached, numbered in the order the test walked. */
  async shot(step: string, fullPage = true): Promise<string> {
    this.shots += 1;
    return this.screenshot(
      `${this.shotPrefix}-${String(this.shots).padStart(2, "0")}-${step}`,
      fullPage,
    );
  }

  /** axe-core over the page as it stands: no serious or critical WCAG 2.1 A/AA violation. */
  async expectAccessible(screen: string): Promise<void> {
    const results = await new AxeBuilder({ page: this.page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.id} (${v.impact ?? ""}): ${v.help} — ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(", ")}`,
      );
    expect(serious, `accessibility of ${screen}`).toEqual([]);
  }

  // ---- the wizard ----------------------------------------------------------------------------------------

  heading(name: string | RegExp): Locator {
    return this.page.getByRole("heading", { level: 1, name });
  }

  async newPlan(plantName: string): Promise<void> {
    await this.page.getByLabel("Plant name").fill(plantName);
    await this.page.getByRole("button", { name: "Create the plan" }).click();
    await expect(this.heading("Plan setup")).toBeVisible();
  }

  stepper(): Locator {
    return this.page.getByRole("navigation", { name: "Wizard steps" });
  }

  /** Goes to a step of the wizard by its name in the stepper ("Plan setup", "Perimeter cell", "Overview"…). */
  async goToStep(name: string | RegExp): Promise<void> {
    await this.stepper()
      .getByRole("button", {
        name: typeof name === "string" ? new RegExp(`^${name}`) : name,
      })
      .click();
  }

  async goToSetup(section: string): Promise<void> {
    await this.goToStep("Plan setup");
    await this.page
      .getByRole("navigation", { name: "Plan setup sections" })
      .getByRole("button", { name: section, exact: true })
      .click();
    await expect(
      this.page.getByRole("heading", { level: 2, name: section }),
    ).toBeVisible();
  }

  /** Fills a field and leaves it, which is when the wizard keeps what was typed. */
  async fillAndLeave(label: string, value: string): Promise<void> {
    const field = this.page.getByLabel(label, { exact: true });
    await field.fill(value);
    await field.press("Tab");
  }

  /** Waits until the header says the plan is saved (every edit accepted and written). */
  async waitForSaved(): Promise<void> {
    await expect(
      this.page.getByRole("status").filter({ hasText: /^Saved at / }),
    ).toBeVisible({
      timeout: 15_000,
    });
  }

  async createEngineerIdentity(options: {
    name: string;
    company: string;
    passphrase: string;
  }): Promise<void> {
    const form = this.page.getByRole("form", {
      name: "Create the engineer's signing identity",
    });
    await form.getByLabel("Engineer's full name").fill(options.name);
    await form.getByLabel("Company").fill(options.company);
    await form.getByLabel("New passphrase").fill(options.passphrase);
    await form.getByLabel("The passphrase again").fill(options.passphrase);
    await form.getByRole("button", { name: "Create the identity" }).click();
    await expect(form.getByRole("status")).toContainText("Created ");
  }

  /** The plant verdict the sign-off's certificate preview shows as its stamp. */
  async waitForStamp(verdict: PlantVerdictWords): Promise<void> {
    await expect(
      this.page
        .getByRole("region", { name: "The certificate" })
        .locator(".plant-verdict"),
    ).toHaveText(`Stamp: ${verdict}`);
  }

  /** Sign-off's confirmation of what is about to be signed, opened by "Sign and export the certificate". */
  async openSignConfirmation(): Promise<Locator> {
    await this.page
      .getByRole("button", { name: "Sign and export the certificate" })
      .click();
    const confirmation = this.page.getByRole("region", {
      name: "Confirm what is signed",
    });
    await expect(
      confirmation.getByRole("heading", { name: "Confirm what is signed" }),
    ).toBeFocused();
    return confirmation;
  }

  /** Signs and exports, through the confirmation; in browser mode the PDF arrives as a download, saved under `dir`. */
  async exportCertificate(
    dir: string,
  ): Promise<{ path: string; download: Download }> {
    const confirmation = await this.openSignConfirmation();
    const downloading = this.page.waitForEvent("download");
    await confirmation
      .getByRole("button", { name: "Sign and export now" })
      .click();
    const download = await downloading;
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    await expect(
      this.page.getByRole("button", { name: "Download the certificate again" }),
    ).toBeVisible();
    return { path, download };
  }

  /** `cellcert verify FILE`, as anyone would check a certificate later. */
  verifyWithCli(
    path: string,
    caPath?: string,
  ): { status: number | null; output: string } {
    const result = spawnSync(
      process.execPath,
      [
        "out/cli/cellcert.js",
        "verify",
        path,
        ...(caPath === undefined ? [] : ["--ca", caPath]),
      ],
      {
        encoding: "utf8",
      },
    );
    return {
      status: result.status,
      output: `${result.stdout}${result.stderr}`,
    };
  }

  /** The UI's "Verify a certificate" with the PDF chosen in its file input. */
  async verifyInUi(path: string): Promise<Locator> {
    await this.page.getByLabel("Choose a certificate PDF…").setInputFiles(path);
    // One of the three answers: "Valid: …", "Intact, signer NOT checked: …", "Not valid: …".
    const result = this.page.getByRole("region", {
      name: /^(Valid|Intact, signer NOT checked|Not valid)\b/,
    });
    await expect(result).toBeVisible();
    return result;
  }

  async startPracticePlant(broken = false): Promise<void> {
    await this.page
      .getByRole("button", {
        name: broken
          ? "Start the broken practice plant"
          : "Start the practice plant",
      })
      .click();
    await expect(
      this.heading("Plan setup").or(
        this.page.getByRole("heading", { level: 1 }).first(),
      ),
    ).toBeVisible();
    await expect(this.page.getByText("PRACTICE", { exact: true })).toBeVisible({
      timeout: 60_000,
    });
  }

  /** Goes to a vantage's step, runs its checks and waits for the run to finish. */
  async runVantage(step: string | RegExp): Promise<void> {
    await this.goToStep(step);
    // The step says where to stand before anything runs.
    await expect(
      this.page.getByText(/^(Connect the laptop to the |Stay at the )/),
    ).toBeVisible();
    await this.page
      .getByRole("button", { name: /^Run the checks from / })
      .click();
    await expect(
      this.page.getByText(/^Finished: \d+ of \d+ checks judged/),
    ).toBeVisible({
      timeout: 90_000,
    });
  }

  /** A check card by its check id and endpoint. */
  check(checkId: string, endpointId?: string): Locator {
    const selector =
      endpointId === undefined
        ? `article[data-check="${checkId}"]`
        : `article[data-check="${checkId}"][data-endpoint="${endpointId}"]`;
    return this.page.locator(selector);
  }

  /**
   * Waives a check through its card's form: who waives it, who approved it on the plant's side, and (optionally)
   * the last day it waives, as YYYY-MM-DD. A waiver already expired is recorded and reads expired at once.
   */
  async waive(
    card: Locator,
    justification: string,
    name: string,
    options: { approvedBy?: string; expires?: string } = {},
  ): Promise<void> {
    const approvedBy = options.approvedBy ?? "Robin Owner, plant security";
    await card.getByRole("button", { name: /^Waive( again)?…$/ }).click();
    const form = card.getByRole("form", { name: "Waive this check" });
    await form.getByLabel("Justification").fill(justification);
    await form.getByLabel("Your name").fill(name);
    await form.getByLabel("Approved by").fill(approvedBy);
    if (options.expires !== undefined)
      await form.getByLabel("Waived until (optional)").fill(options.expires);
    await form.getByRole("button", { name: "Record the waiver" }).click();
    const expired =
      options.expires !== undefined &&
      options.expires < calendarDay(new Date());
    await expect(card.locator(".check-note")).toContainText(
      expired
        ? `approved by ${approvedBy}; it expired after ${options.expires ?? ""} and waives nothing now`
        : `Waived by ${name} on `,
    );
  }

  async waitForPlantVerdict(verdict: PlantVerdictWords): Promise<void> {
    await expect(this.page.locator(".plant-verdict").first()).toContainText(
      verdict,
    );
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
    app: async ({ page, browserMode }, use, testInfo) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      const prefix = testInfo.titlePath
        .slice(1)
        .join(" ")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")
        .slice(0, 40);
      // The host outlives a test: start each one with no plan open and no practice plant running.
      const token = new URL(browserMode.url).hash.replace(/^#token=/, "");
      for (const channel of ["practice:stop", "plan:close"]) {
        const answer = await page.request.post(
          `${browserMode.origin}/api/${channel}`,
          {
            headers: {
              Authorization: `Bearer ${token}`,
              "Content-Type": "application/json",
            },
            // An empty body: these channels take no input (a JSON "" would be refused).
            data: Buffer.alloc(0),
          },
        );
        const envelope = (await answer.json()) as { ok: boolean };
        expect(envelope, `${channel} before the test`).toMatchObject({
          ok: true,
        });
      }
      const app = new App(page, browserMode, prefix);
      await use(app);
      expect(app.problems, "the page logged errors").toEqual([]);
    },
  },
);

export { expect };
