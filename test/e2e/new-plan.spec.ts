// From a new plan to a signed certificate with nothing probed: the stamp says "not commissioned", and the
// certificate verifies — with the CLI and in the UI's "Verify a certificate". A second plan in the same workspace
// whose engineer has the same name gets identities of its own (DESIGN §11): the first plan keeps signing, and
// every certificate verifies against its own plan's CA — in the UI with the signer CA the verifier offers, and with
// `cellcert verify --ca` on the exported files — and not against the other plan's.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type App } from "./app";

const ENGINEER = "Dana Field";
const COMPANY = "Cellcert Commissioning GmbH";

/** Sign-off's people and a new signing identity; the commissioning CA handed over is saved under `caPath`. */
async function signOffWithNewIdentity(
  app: App,
  passphrase: string,
  caPath: string,
): Promise<void> {
  await app.goToStep("Sign-off");
  await expect(app.heading("Sign-off")).toBeVisible();
  await app.fillAndLeave("Engineer's name", ENGINEER);
  await app.fillAndLeave("Engineer's company", COMPANY);
  await app.fillAndLeave("Witness name", "Sam Witness");
  await app.createEngineerIdentity({
    name: ENGINEER,
    company: COMPANY,
    passphrase,
  });
  const handover = app.page.getByRole("region", {
    name: "The commissioning CA for the customer",
  });
  await expect(handover).toBeVisible();
  const savingCa = app.page.waitForEvent("download");
  await handover
    .getByRole("button", { name: "Save the CA certificate (PEM)" })
    .click();
  await (await savingCa).saveAs(caPath);
}

/** The UI's verifier with the open plan's signer CA chosen from what it offers: valid, and from that CA. */
async function verifyWithPlanSignerCa(app: App, path: string): Promise<void> {
  await app.page.getByRole("button", { name: "Verify a certificate" }).click();
  await expect(app.heading("Verify a certificate")).toBeVisible();
  // Only the CA offered for this plan: a CA added by hand earlier is taken off first.
  const added = app.page.getByRole("button", { name: /^Remove .*\.pem$/ });
  while ((await added.count()) > 0) await added.first().click();
  const offered = app.page.getByRole("region", {
    name: "The CA this plan's certificates were signed under",
  });
  // One CA per plan here: both plans' identities were made by the same company, each under its own CA.
  await expect(offered.getByRole("listitem")).toHaveCount(1);
  await offered.getByRole("button", { name: /^Check against CN=/ }).click();
  await expect(
    app.page.getByRole("button", { name: /^Remove .*-signer-ca\.pem$/ }),
  ).toBeVisible();
  const result = await app.verifyInUi(path);
  await expect(result).toContainText("Valid");
  await expect(result).toContainText(ENGINEER);
  await expect(result).toContainText("Signer from the CAs givenyes");
}

test("new plan to an exported certificate that verifies; a second plan with the same engineer name keeps both working", async ({
  app,
}) => {
  test.setTimeout(120_000);
  const downloads = mkdtempSync(join(tmpdir(), "cellcert-e2e-downloads-"));
  await app.open();
  await app.waitForVersion();
  await app.newPlan("Riverside Works");
  await app.expectAccessible("plan setup");
  await app.fillAndLeave("Site", "Hall 4, Riverside");
  await app.fillAndLeave("Customer", "Riverside Foods");
  await app.waitForSaved();
  await app.shot("plant-data");

  // A reload loses nothing: the plan is autosaved and the wizard continues where it was.
  await app.page.reload();
  await expect(app.heading("Plan setup")).toBeVisible();
  await expect(app.page.getByLabel("Site", { exact: true })).toHaveValue(
    "Hall 4, Riverside",
  );

  const caPath = join(downloads, "commissioning-ca.pem");
  await signOffWithNewIdentity(app, "correct horse battery", caPath);
  await app.waitForStamp("not commissioned");
  await app.expectAccessible("sign-off");
  await app.shot("sign-off");

  const { path } = await app.exportCertificate(downloads);
  expect(path).toMatch(/RIVERSIDE-WORKS-\d{8}-1\.pdf$/);
  await app.shot("exported");

  const verified = app.verifyWithCli(path, caPath);
  expect(verified.output).toMatch(/not commissioned/i);
  expect(verified.output).toMatch(/Trusted\s+yes/i);
  expect(verified.status, verified.output).toBe(0);

  await app.page.getByRole("button", { name: "Verify a certificate" }).click();
  await expect(app.heading("Verify a certificate")).toBeVisible();
  await app.page
    .getByLabel("Add a CA certificate (PEM)…")
    .setInputFiles(caPath);
  const result = await app.verifyInUi(path);
  await expect(result).toContainText("Valid");
  await expect(result).toContainText("not commissioned");
  await expect(result).toContainText(ENGINEER);
  await expect(result).toContainText("Signer from the CAs givenyes");
  await app.expectAccessible("verify");
  await app.shot("verified");
  await app.page.getByRole("button", { name: "Back" }).click();

  // A second plan in the same workspace, its engineer of the same name, with an identity of its own.
  await app.page.getByRole("button", { name: "Close the plan" }).click();
  await app.newPlan("Lakeside Mill");
  const otherCaPath = join(downloads, "lakeside-commissioning-ca.pem");
  await signOffWithNewIdentity(app, "another horse entirely", otherCaPath);
  const { path: otherPath } = await app.exportCertificate(downloads);
  expect(otherPath).toMatch(/LAKESIDE-MILL-\d{8}-1\.pdf$/);
  await verifyWithPlanSignerCa(app, otherPath);
  await app.expectAccessible("verify with the plan's signer CA");
  await app.shot("verified-second-plan");
  await app.page.getByRole("button", { name: "Back" }).click();

  // The first plan still signs: its identity was not replaced by the second plan's.
  await app.page.getByRole("button", { name: "Close the plan" }).click();
  await app.page
    .getByRole("button", {
      name: /^Riverside Works riverside-works\/plan\.cellcert\.json/,
    })
    .click();
  await app.goToStep("Sign-off");
  await expect(app.heading("Sign-off")).toBeVisible();
  // Secrets are forgotten when their plan closes: the passphrase is asked for again.
  await app.page
    .getByLabel(new RegExp(`^Passphrase of .*${ENGINEER}`))
    .fill("correct horse battery");
  await app.page.getByRole("button", { name: "Use this passphrase" }).click();
  const { path: secondPath } = await app.exportCertificate(downloads);
  expect(secondPath).toMatch(/RIVERSIDE-WORKS-\d{8}-2\.pdf$/);
  await verifyWithPlanSignerCa(app, secondPath);

  // Each certificate against its own plan's CA, with the command line: trusted; against the other plan's: not.
  for (const [pdf, ca] of [
    [path, caPath],
    [secondPath, caPath],
    [otherPath, otherCaPath],
  ] as const) {
    const own = app.verifyWithCli(pdf, ca);
    expect(own.output, pdf).toMatch(/Trusted\s+yes/i);
    expect(own.status, own.output).toBe(0);
  }
  const crossed = app.verifyWithCli(otherPath, caPath);
  expect(crossed.output).toMatch(/Trusted\s+NO/);
  expect(crossed.status, crossed.output).toBe(1);
});
