// The walk and its states as an engineer expects them, on the broken practice plant in a 1280×720 window: the
// plant opens on the walk; Run and the next step stay on screen while a long vantage scrolls; focus follows the
// run and the waivers; a waived failure shows as waived — never as a pass — on the walk's tabs, in the topology
// and on the overview; and sign-off confirms what is about to be signed. Then what is signed is what was
// measured: a waiver whose expiry has passed no longer waives; an endpoint changed after its run reads out of date
// on the walk, the overview and sign-off until it is probed again; an endpoint with results is retired, not
// removed. axe-core checks each of those screens.
import { expect, test } from "./app";

test.describe.configure({ timeout: 240_000 });

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

  // A waiver whose expiry date has passed no longer waives: the failure counts again, on the card, the tab and
  // the overview's list of what keeps the plant from commissioned.
  await app.goToStep(/^Enterprise cell/);
  const protocol = app.check("ENT-PER.tls.protocol", "perimeter-web");
  await protocol.getByRole("button", { name: "Remove the waiver" }).click();
  await app.waive(
    protocol,
    "Accepted until the proxy was replaced last winter.",
    "Pat Practice",
    { approvedBy: "Robin Owner, plant security", expires: "2020-01-31" },
  );
  await expect(protocol.locator(".check-head")).toContainText("fail");
  await expect(tab).toContainText("1 failed");
  await app.expectAccessible("an expired waiver");
  await app.goToStep("Overview");
  await expect(
    blockers.getByRole("listitem").filter({ hasText: "ENT-PER.tls.protocol" }),
  ).toContainText("mandatory");

  // The endpoint changes after its run: every result measured on it is out of date — on the walk, the overview
  // and sign-off — with the roll-up's sentence, until the endpoint is probed again.
  await app.goToSetup("Endpoints");
  await page.getByRole("button", { name: "Edit Perimeter HTTPS" }).click();
  await page.getByLabel("Public roots may also anchor the chain").check();
  await page.getByRole("button", { name: "Save the endpoint" }).click();
  await expect(
    page.getByRole("button", { name: "Edit Perimeter HTTPS" }),
  ).toBeFocused();
  await app.waitForSaved();
  const outOfDate =
    /Out of date: the endpoint changed after run \d+; probe it again\./;
  await app.goToStep(/^Enterprise cell/);
  await expect(tab).toContainText(/\d+ out of date/);
  const chain = app.check("ENT-PER.cert.chain", "perimeter-web");
  await expect(chain.locator(".check-head")).toContainText("out of date");
  await expect(chain).toContainText(outOfDate);
  await expect(protocol.locator(".check-head")).toContainText("out of date");
  await app.expectAccessible("the walk with out-of-date results");
  await app.shot("walk-out-of-date", false);

  await app.goToStep("Overview");
  await expect(
    page.getByRole("region", { name: "Checks per verdict" }),
  ).toContainText(/out of date\s*\d+\s*of the not tested/);
  await expect(
    blockers.getByRole("listitem").filter({ hasText: "ENT-PER.cert.chain" }),
  ).toContainText(outOfDate);
  await app.expectAccessible("overview with out-of-date results");
  await app.shot("overview-out-of-date", false);

  await app.goToStep("Sign-off");
  const standing = page.getByRole("region", {
    name: "What stands between the plant and commissioned",
  });
  await expect(
    standing.getByRole("listitem").filter({ hasText: "ENT-PER.cert.chain" }),
  ).toContainText("out of date");
  const confirmStale = await app.openSignConfirmation();
  await expect(confirmStale).toContainText(/Out of date \(\d+\)/);
  await expect(confirmStale).toContainText("ENT-PER.cert.chain");
  await app.expectAccessible("sign-off with out-of-date results");
  await app.shot("sign-off-out-of-date", false);
  await confirmStale.getByRole("button", { name: "Not yet" }).click();

  // Probing again clears it.
  await app.goToStep(/^Enterprise cell/);
  await run.click();
  await expect(tab).not.toContainText("out of date", { timeout: 90_000 });
  await expect(finished).toBeVisible({ timeout: 90_000 });
  await expect(chain.locator(".check-head")).not.toContainText("out of date");
  await app.goToStep("Overview");
  await expect(blockers).not.toContainText("out of date");
  await expect(blockers).not.toContainText("Out of date");

  // Setup says what the engine would refuse or could not tell apart, where it belongs: a vantage source address
  // that is not on this laptop disables Run with the preview's sentence; overlapping cell networks are warned
  // beside the network that overlaps.
  await app.goToSetup("Cells and boundaries");
  await app.fillAndLeave(
    "Source address for the enterprise vantage (Enterprise cell)",
    "10.9.9.9",
  );
  const perimeterCell = page.getByRole("group", { name: /^Perimeter/ });
  const perimeterNetworks = perimeterCell.getByLabel(
    "Networks (CIDR, one per line)",
  );
  const networksBefore = await perimeterNetworks.inputValue();
  await perimeterNetworks.fill("127.0.1.0/25");
  await perimeterNetworks.press("Tab");
  await app.waitForSaved();
  await expect(perimeterCell.locator(".banner-warn")).toContainText(
    /127\.0\.1\.0\/25 of the Perimeter cell overlaps 127\.0\.1\.0\/24 of the Enterprise cell/,
  );
  await app.expectAccessible("setup with overlapping networks");
  await app.shot("setup-overlap", false);
  await app.goToStep(/^Enterprise cell/);
  const refusal = page.locator("#walk-refused");
  await expect(refusal).toContainText(
    /10\.9\.9\.9 is not an address of this laptop/,
  );
  await expect(run).toBeDisabled();
  await expect(run).toHaveAccessibleDescription(/10\.9\.9\.9/);
  await app.expectAccessible("the walk with a refused vantage");
  await app.shot("walk-refused", false);
  await app.goToSetup("Cells and boundaries");
  await app.fillAndLeave(
    "Source address for the enterprise vantage (Enterprise cell)",
    "127.0.1.10",
  );
  await perimeterNetworks.fill(networksBefore);
  await perimeterNetworks.press("Tab");
  await app.waitForSaved();
  await expect(perimeterCell.locator(".banner-warn")).toHaveCount(0);

  // An endpoint with results is retired, not removed: kept in its runs, shown as retired in setup, the walk and
  // the overview, and back in the walk only by the button that says so.
  await app.goToSetup("Endpoints");
  await page.getByRole("button", { name: "Edit Perimeter HTTPS" }).click();
  await expect(
    page.getByText(/It has results in run \d+(, \d+)*, so it is retired/),
  ).toBeVisible();
  await page.getByRole("button", { name: "Retire the endpoint" }).click();
  const returnIt = page.getByRole("button", {
    name: "Return Perimeter HTTPS to the walk",
  });
  await expect(returnIt).toBeFocused();
  const retiredRow = page.locator("li", { has: returnIt });
  await expect(retiredRow).toContainText("retired");
  await expect(retiredRow).toContainText(
    /"Perimeter HTTPS" is retired: its results stay in run \d+, \d+ and no longer count/,
  );
  await app.expectAccessible("setup with a retired endpoint");
  await app.shot("setup-retired", false);
  await app.goToStep(/^Enterprise cell/);
  await expect(
    page.getByRole("list", { name: "Retired endpoints" }),
  ).toContainText('"Perimeter HTTPS" is retired');
  await expect(
    page.locator('article[data-endpoint="perimeter-web"]'),
  ).toHaveCount(0);
  await app.goToStep("Overview");
  await page.getByRole("button", { name: /^ENT-PER / }).click();
  const entPerPanel = page.getByRole("region", { name: /^ENT-PER · / });
  await expect(
    entPerPanel.getByRole("list", { name: "Retired endpoints" }),
  ).toContainText('"Perimeter HTTPS" is retired');
  await expect(entPerPanel).toContainText(
    "No endpoint is configured for ENT-PER.",
  );
  await app.expectAccessible("overview with a retired endpoint");
});
