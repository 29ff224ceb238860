// The walk and its states as an engineer expects them, on the broken practice plant in a 1280×720 window: the
// plant opens on the walk; Run and the next step stay on screen while a long vantage scrolls; focus follows the
// run and the waivers; a waived failure shows as waived — never as a pass — on the walk's tabs, in the topology
// and on the overview; and sign-off confirms what is about to be signed. axe-core checks each of those screens.
import { expect, test } from "./app";

test.describe.configure({ timeout: 150_000 });

/** Words that belong to zod or the command line, never to the screen. */
const NOT_FOR_ENGINEERS = /Too small|Too big|Invalid input|\(use --|--ca\b/;

test("the broken practice plant at 1280×720: Run stays on screen, and a waived failure is never a pass", async ({
  app,
}) => {
  const page = app.page;
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open();
  await app.waitForVersion();
  await app.startPracticePlant(true);

  // The practice plant's setup is filled in: it opens on the first step of the walk, setup one step away.
  await expect(app.heading("Enterprise cell")).toBeVisible();
  await expect(
    app.stepper().getByRole("button", { name: /^Plan setup/ }),
  ).toBeVisible();

  // The bottom of a long vantage: Run and the way on are still on screen.
  const run = page.getByRole("button", {
    name: "Run the checks from Enterprise",
  });
  const next = page.getByRole("button", { name: "Next: Perimeter cell" });
  const cards = page.locator("article.check");
  expect(await cards.count()).toBeGreaterThan(10);
  await cards.last().scrollIntoViewIfNeeded();
  await expect(app.heading("Enterprise cell")).not.toBeInViewport();
  await expect(run).toBeInViewport();
  await expect(next).toBeInViewport();
  await app.shot("scrolled-before-run", false);

  // Run from down there; when the run ends, focus is on the sentence that says how it ended.
  await run.click();
  const finished = page.getByText(/^Finished: \d+ of \d+ checks judged$/);
  await expect(finished).toBeVisible({ timeout: 90_000 });
  await expect(finished).toBeFocused();
  await cards.last().scrollIntoViewIfNeeded();
  await expect(run).toBeInViewport();
  await expect(next).toBeInViewport();
  await app.expectAccessible("the walk's action bar after a run");
  await app.shot("scrolled-after-run", false);

  // Waive every failure of this vantage; focus lands on each waiver as it is recorded.
  const failing = page.locator("article.check-fail");
  const waived: string[] = [];
  while ((await failing.count()) > 0) {
    const first = failing.first();
    const card = app.check(
      (await first.getAttribute("data-check")) ?? "",
      (await first.getAttribute("data-endpoint")) ?? "",
    );
    waived.push((await first.getAttribute("data-check")) ?? "");
    await app.waive(
      card,
      "Accepted for the practice run: the plant's owner tracks the fix as a change request.",
      "Pat Practice",
    );
    await expect(card.locator(".check-note")).toBeFocused();
    await expect(card.locator(".check-head")).toContainText("waived");
    expect(waived.length, "no more failures than checks").toBeLessThan(15);
  }
  expect(waived).toContain("ENT-PER.tls.protocol");
  expect(waived).toContain("ENT-PER.segmentation");

  // The walk's tab says what was waived, never that all passed.
  const tab = app.stepper().getByRole("button", { name: /^Enterprise cell/ });
  await expect(tab).toContainText(`${waived.length} waived`);
  await expect(tab).not.toContainText(/passed/i);
  await app.shot("walk-waived", false);

  // The topology shows ENT-PER — passing only by the waivers — as waived, and so does the overview.
  await app.goToStep("Overview");
  const entPer = page.getByRole("button", { name: /^ENT-PER / });
  await expect(entPer).toHaveAccessibleName(/: waived$/);
  await expect(entPer).not.toContainText("pass");
  await expect(
    page
      .getByRole("region", { name: "Checks per verdict" })
      .getByRole("listitem")
      .filter({ hasText: "waived" }),
  ).toHaveText(new RegExp(`waived\\s*${waived.length}`));
  const waivedList = page.getByRole("region", { name: "Waived checks" });
  for (const checkId of waived) await expect(waivedList).toContainText(checkId);
  const blockers = page.getByRole("region", {
    name: "What keeps the plant from commissioned",
  });
  for (const checkId of waived)
    await expect(blockers).not.toContainText(`${checkId} `);
  await entPer.click();
  await expect(
    page.getByRole("heading", { level: 2, name: /^ENT-PER/ }),
  ).toContainText("waived");
  await expect(page.locator("main")).not.toContainText(NOT_FOR_ENGINEERS);
  await app.expectAccessible("overview with waivers");
  await app.shot("overview-waived", false);
  await app.shot("overview-waived-page");

  // Sign-off asks to confirm what is about to be signed: the verdict, the counts and each waived check.
  await app.goToStep("Sign-off");
  await expect(app.heading("Sign-off")).toBeVisible();
  const confirmation = await app.openSignConfirmation();
  await expect(confirmation).toContainText(
    "The certificate will say: not commissioned",
  );
  for (const checkId of waived)
    await expect(confirmation).toContainText(checkId);
  await expect(confirmation).toContainText("waived by Pat Practice");
  await app.expectAccessible("sign-off's confirmation");
  await app.shot("sign-off-confirmation", false);
  await confirmation.getByRole("button", { name: "Not yet" }).click();
  await expect(
    page.getByRole("button", { name: "Sign and export the certificate" }),
  ).toBeFocused();

  // Setup speaks the engineer's language too: secrets in words, limits as sentences.
  await app.goToSetup("Identities");
  await expect(page.locator("main")).not.toContainText(NOT_FOR_ENGINEERS);
  await expect(
    page.locator("dt", { hasText: "Passphrase" }).first(),
  ).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/Passphrase\s*prompt/);
  await app.goToSetup("Policy");
  await app.fillAndLeave("Timeout per connection (ms)", "100");
  await expect(page.getByText("Enter 500 or more.")).toBeVisible();
  await expect(page.locator("main")).not.toContainText(NOT_FOR_ENGINEERS);
  await app.expectAccessible("policy with a problem");
});
