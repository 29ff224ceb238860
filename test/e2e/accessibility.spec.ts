// Every screen through axe-core (no serious or critical WCAG 2.1 A/AA violation), and the wizard walked with
// the keyboard alone: every control reachable with Tab, its focus visible, activated with Enter or Space.
import { expect, test, type App } from "./app";
import type { Locator } from "@playwright/test";

/** The little of a DOM element read here (the E2E project has no DOM types). */
interface FocusableElement {
  tagName: string;
  ownerDocument: {
    activeElement: unknown;
    defaultView: {
      getComputedStyle(element: unknown): { outlineStyle: string };
    } | null;
  };
}

/** Presses Tab until `target` has focus; fails when it is not reachable within `limit` presses. */
async function tabTo(app: App, target: Locator, limit = 120): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    const focus = await target.evaluate((node) => {
      const element = node as unknown as FocusableElement;
      if (element !== element.ownerDocument.activeElement) return null;
      const style =
        element.ownerDocument.defaultView?.getComputedStyle(element);
      // Visible focus: an outline, or for the diagram's boundaries a thick stroke drawn by CSS.
      return style?.outlineStyle !== "none" || element.tagName === "g";
    });
    if (focus !== null) {
      expect(focus, "focus is visible").toBe(true);
      return;
    }
    await app.page.keyboard.press("Tab");
  }
  throw new Error(`Not reachable with the keyboard: ${String(target)}`);
}

test("every screen passes axe-core", async ({ app }) => {
  await app.open();
  await app.waitForVersion();
  await app.expectAccessible("start");
  await app.newPlan("Axe Plant");
  for (const section of [
    "Plant data",
    "Cells and boundaries",
    "Endpoints",
    "Trust anchors",
    "Identities",
    "SQL credentials",
    "Policy",
  ]) {
    await app.goToSetup(section);
    await app.expectAccessible(`setup: ${section}`);
  }
  await app.goToSetup("Endpoints");
  await app.page
    .getByRole("button", { name: "Edit MES site HTTPS binding" })
    .click();
  await app.page.getByLabel("Host", { exact: true }).fill("not a host!");
  await expect(
    app.page.getByText(
      "a host is a DNS name or an IP address (IPv6 without brackets)",
    ),
  ).toBeVisible();
  await app.expectAccessible("endpoint editor with a problem");
  await app.shot("endpoint-problem");
  await app.page.getByRole("button", { name: "Cancel" }).click();

  await app.goToStep("Perimeter cell");
  await expect(
    app.page.getByText("Connect the laptop to the Perimeter cell."),
  ).toBeVisible();
  await app.expectAccessible("walk");
  await app.goToStep("Overview");
  await app.page.getByRole("button", { name: /^APP-DB / }).click();
  await app.expectAccessible("overview with a boundary");
  await app.goToStep("Sign-off");
  await app.expectAccessible("sign-off");
  await app.page.getByRole("button", { name: "Close the plan" }).click();
  await app.page.getByRole("button", { name: "Verify a certificate" }).click();
  await app.expectAccessible("verify");
});

test("the wizard can be walked with the keyboard alone", async ({ app }) => {
  await app.open();
  await app.waitForVersion();
  const page = app.page;
  await tabTo(app, page.getByLabel("Plant name"));
  await page.keyboard.type("Keyboard Plant");
  await page.keyboard.press("Enter");
  await expect(app.heading("Plan setup")).toBeFocused();

  await tabTo(app, page.getByLabel("Site", { exact: true }));
  await page.keyboard.type("Hall 2");
  await page.keyboard.press("Tab");
  await app.waitForSaved();

  await tabTo(
    app,
    app.stepper().getByRole("button", { name: /^Perimeter cell/ }),
  );
  await page.keyboard.press("Enter");
  await expect(app.heading("Perimeter cell")).toBeFocused();
  await tabTo(
    app,
    page.getByRole("button", { name: "Run the checks from Perimeter" }),
  );
  await page.keyboard.press("Enter");
  await expect(
    page.getByText(/^Finished: \d+ of \d+ checks judged/),
  ).toBeVisible({ timeout: 30_000 });

  const card = app.check("PER-MES.tls.protocol", "mes-gateway");
  await tabTo(app, card.getByRole("button", { name: "Waive…" }));
  await page.keyboard.press("Enter");
  await tabTo(app, card.getByLabel("Justification"));
  await page.keyboard.type(
    "The MES gateway is replaced next week; tracked as change 4711.",
  );
  await tabTo(app, card.getByLabel("Your name"));
  await page.keyboard.type("Kim Keys");
  await tabTo(app, card.getByLabel("Approved by"));
  await page.keyboard.type("Robin Owner, plant security");
  await page.keyboard.press("Enter");
  await expect(card.getByText(/^Waived by Kim Keys on /)).toBeVisible();

  await tabTo(app, app.stepper().getByRole("button", { name: /^Overview/ }));
  await page.keyboard.press("Enter");
  await tabTo(app, page.getByRole("button", { name: /^PER-MES / }));
  await page.keyboard.press("Enter");
  await expect(
    page.getByRole("heading", { level: 2, name: /^PER-MES/ }),
  ).toBeVisible();
  await app.shot("keyboard-overview");

  await tabTo(app, app.stepper().getByRole("button", { name: /^Sign-off/ }));
  await page.keyboard.press(" ");
  await expect(app.heading("Sign-off")).toBeFocused();
});
