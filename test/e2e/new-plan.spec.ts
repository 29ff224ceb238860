// From a new plan to a signed certificate with nothing probed: the stamp says "not commissioned", and the
// certificate verifies — with the CLI and in the UI's "Verify a certificate".
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./app";

test("new plan to an exported certificate that verifies", async ({ app }) => {
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

  await app.goToStep("Sign-off");
  await expect(app.heading("Sign-off")).toBeVisible();
  await app.fillAndLeave("Engineer's name", "Dana Field");
  await app.fillAndLeave("Engineer's company", "Cellcert Commissioning GmbH");
  await app.fillAndLeave("Witness name", "Sam Witness");
  await app.createEngineerIdentity({
    name: "Dana Field",
    company: "Cellcert Commissioning GmbH",
    passphrase: "correct horse battery",
  });
  const handover = app.page.getByRole("region", {
    name: "The commissioning CA for the customer",
  });
  await expect(handover).toBeVisible();
  const savingCa = app.page.waitForEvent("download");
  await handover
    .getByRole("button", { name: "Save the CA certificate (PEM)" })
    .click();
  const caPath = join(downloads, "commissioning-ca.pem");
  await (await savingCa).saveAs(caPath);
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
  await expect(result).toContainText("Dana Field");
  await expect(result).toContainText("Signer from the CAs givenyes");
  await app.expectAccessible("verify");
  await app.shot("verified");
});
