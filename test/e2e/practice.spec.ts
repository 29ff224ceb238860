// The practice plant (DESIGN §9) walked in the browser, as a field engineer in training would: every vantage
// run, the overview, sign-off and the signed certificate verified. The good plant ends commissioned (a warning
// allowed); the broken one shows its failures and stays "not commissioned" until each is waived in the UI.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type App } from "./app";

test.describe.configure({ timeout: 150_000 });

const VANTAGE_STEPS = [
  "Enterprise cell",
  "Perimeter cell",
  "MES cell",
  "Remote site",
  "Remote site, VPN down",
];

async function walkEveryVantage(app: App, prefix: string): Promise<void> {
  for (const step of VANTAGE_STEPS) {
    await app.runVantage(new RegExp(`^${step.replace(",", ",")} `));
    await app.shot(`${prefix}-${step.toLowerCase().replace(/[^a-z]+/g, "-")}`);
  }
}

async function signAndVerify(app: App, downloads: string): Promise<string> {
  await app.goToStep("Sign-off");
  await expect(app.heading("Sign-off")).toBeVisible();
  await app.fillAndLeave("Witness name", "Pat Practice");
  const { path } = await app.exportCertificate(downloads);
  const verified = app.verifyWithCli(path);
  expect(verified.status, verified.output).toBe(0);
  return path;
}

test("the practice plant, walked from the first vantage to a verified certificate", async ({
  app,
}) => {
  const downloads = mkdtempSync(join(tmpdir(), "cellcert-e2e-practice-"));
  await app.open();
  await app.waitForVersion();
  await app.startPracticePlant();
  await app.shot("practice-opened");

  await walkEveryVantage(app, "good");
  await app.expectAccessible("walk after a run");

  await app.goToStep("Overview");
  await app.waitForPlantVerdict("commissioned");
  await expect(app.page.locator(".plant-verdict")).not.toContainText(
    "not commissioned",
  );
  await app.page.getByRole("button", { name: /^ENT-PER / }).click();
  await expect(
    app.page.getByRole("heading", { level: 2, name: /^ENT-PER/ }),
  ).toBeVisible();
  await app.expectAccessible("overview after the walk");
  await app.shot("good-overview");

  // The evidence of a check: the chain viewer and the negotiated parameters.
  const card = app.check("ENT-PER.cert.chain", "perimeter-web");
  await card.getByRole("button", { name: "Details and evidence" }).click();
  await expect(
    card.getByText("Subject alternative names").first(),
  ).toBeVisible();
  await expect(card.getByText("SHA-256 fingerprint").first()).toBeVisible();
  await expect(card.getByText("Negotiated parameters").first()).toBeVisible();
  await app.shot("good-evidence");

  // The MES site answers only hellos that carry its name (HTTP.sys, SNI bindings): probed with it, it passes.
  await app.page.getByRole("button", { name: /^IIS-BIND / }).click();
  await expect(app.check("IIS-BIND.tls.protocol", "mes-site")).toHaveClass(
    /\bcheck-pass\b/,
  );

  const path = await signAndVerify(app, downloads);
  await app.waitForStamp("commissioned");
  await app.shot("good-signed");

  await app.page.getByRole("button", { name: "Verify a certificate" }).click();
  const result = await app.verifyInUi(path);
  await expect(result).toContainText("Valid");
  await expect(result).toContainText("PRACTICE");
  // Without a CA the signer is not checked: said as what to do here, not as a command-line option.
  await expect(result).toContainText(
    "Add the commissioning CA certificate above",
  );
  await expect(result).not.toContainText("--ca");
  await app.shot("good-verified");
});

test("the broken practice plant: failures shown, not commissioned until each is waived", async ({
  app,
}) => {
  const downloads = mkdtempSync(join(tmpdir(), "cellcert-e2e-broken-"));
  await app.open();
  await app.waitForVersion();
  await app.startPracticePlant(true);
  await walkEveryVantage(app, "broken");

  await app.goToStep("Overview");
  await app.waitForPlantVerdict("not commissioned");
  const blockers = app.page.getByRole("region", {
    name: "What keeps the plant from commissioned",
  });
  await expect(blockers.getByRole("listitem").first()).toBeVisible();
  await app.shot("broken-overview");

  // The gateway asks for client certificates per path, as IIS does: served over TLS 1.2, a warning for TLS 1.3.
  await app.page.getByRole("button", { name: /^PER-MES / }).click();
  const perPath = app.check("PER-MES.mtls.identity-accepted", "mes-gateway");
  await expect(perPath).toHaveClass(/\bcheck-warn\b/);
  await expect(perPath).toContainText(
    "accepted over TLS 1.2 only: this server asks for the client certificate per path after the handshake",
  );

  // Before anything is waived the certificate itself is stamped "not commissioned".
  const before = await signAndVerify(app, downloads);
  await app.waitForStamp("not commissioned");
  expect(app.verifyWithCli(before).output).toMatch(/not commissioned/i);
  await app.shot("broken-sign-off");

  // Waive what keeps the plant from commissioned, one after the other, from the overview.
  await app.goToStep("Overview");
  for (let waived = 0; ; waived++) {
    const first = blockers.getByRole("listitem").first();
    if (!(await first.isVisible())) break;
    expect(waived, "no more blockers than checks").toBeLessThan(40);
    await first.getByRole("button", { name: /^Show / }).click();
    const boundary = app.page.getByRole("region", { name: /^[A-Z-]+ · / });
    const waivable = boundary
      .locator("article.check-fail, article.check-not-tested")
      .filter({ has: app.page.getByRole("button", { name: "Waive…" }) })
      .first();
    // Held by its check and endpoint: once waived it no longer matches the filter above.
    const card = app.check(
      (await waivable.getAttribute("data-check")) ?? "",
      (await waivable.getAttribute("data-endpoint")) ?? "",
    );
    await app.waive(
      card,
      "Accepted for the practice run: the plant's owner tracks the fix as a change request.",
      "Pat Practice",
    );
  }
  await app.waitForPlantVerdict("commissioned with waivers");
  await app.shot("broken-waived");

  const after = await signAndVerify(app, downloads);
  await app.waitForStamp("commissioned with waivers");
  expect(app.verifyWithCli(after).output).toMatch(/commissioned with waivers/i);
  await app.shot("broken-signed");
});
