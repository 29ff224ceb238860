// Re-audit in the browser (issue 20): last audit's certificate — the practice plant's, made by `cellcert demo
// --run` — chosen with its commissioning CA on the start screen, verified, opened as a new plan on the overview with
// what changed and what is to be done again, then signed: the new certificate prints "Changes since certificate
// <number>" right after its findings.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTools } from "../support/certificate-tools";
import { pageTexts } from "../support/pdf-layout";
import { expect, test } from "./app";

test.describe.configure({ timeout: 120_000 });

/** Apart from the integration tests' practice plants (30000, 31000, 33000). */
const PORT_BASE = 36_000;

test("re-audit from a certificate, through what changed, to a signed certificate with its changes", async ({
  app,
}) => {
  requireTools("pdftotext");
  const dir = mkdtempSync(join(tmpdir(), "cellcert-e2e-reaudit-"));
  const demo = spawnSync(
    process.execPath,
    [
      "out/cli/cellcert.js",
      "demo",
      "--run",
      "--dir",
      dir,
      "--port-base",
      String(PORT_BASE),
    ],
    { encoding: "utf8", timeout: 90_000 },
  );
  expect(demo.status, `${demo.stdout}${demo.stderr}`).toBe(0);
  const pdfPath = join(dir, "practice-certificate.pdf");
  const caPath = join(dir, "practice-engineer-ca.pem");

  await app.open();
  await app.waitForVersion();
  const start = app.page.getByRole("region", {
    name: "Re-audit from a certificate",
  });
  await start
    .getByLabel("Add the commissioning CA (PEM, optional)…")
    .setInputFiles(caPath);
  await expect(
    start.getByRole("button", { name: "Remove practice-engineer-ca.pem" }),
  ).toBeVisible();
  await start
    .getByLabel("Choose the certificate PDF to re-audit…")
    .setInputFiles(pdfPath);

  // The new plan opens on the overview: verified with the CA, nothing measured again yet, the to-do list.
  await expect(app.heading("Overview")).toBeVisible({ timeout: 30_000 });
  const changes = app.page.getByRole("region", {
    name: /^Changes since certificate PRACTICE-PLANT-\d{8}-1$/,
  });
  await expect(changes).toBeVisible();
  const earlier = (await changes.getByRole("heading").first().textContent())
    ?.replace("Changes since certificate ", "")
    .trim();
  await expect(changes).toContainText(`Certificate ${earlier} is valid`);
  await expect(
    changes.getByRole("region", { name: "To do again in this audit" }),
  ).toContainText("Import the client identity");
  await expect(changes.getByRole("status").first()).toContainText(
    "not checked again yet; nothing got worse.",
  );
  await expect(
    changes.locator("summary", { hasText: "not checked again yet" }),
  ).toBeVisible();
  await app.expectAccessible("overview of a re-audit");
  await app.shot("reaudit-overview");

  // Signed with nothing measured again: what was measured last time is now not-tested, and the certificate says so.
  await app.goToStep("Sign-off");
  await expect(app.heading("Sign-off")).toBeVisible();
  await app.fillAndLeave("Engineer's name", "Next-year Engineer");
  await app.fillAndLeave("Engineer's company", "Cellcert Commissioning GmbH");
  await app.createEngineerIdentity({
    name: "Next-year Engineer",
    company: "Cellcert Commissioning GmbH",
    passphrase: "re-audit passphrase 2027",
  });
  const { path } = await app.exportCertificate(dir);
  const text = pageTexts(path).join("\f").replace(/\s+/g, " ");
  const at = text.indexOf(`Changes since certificate ${earlier}`);
  expect(at, "the changes section is printed").toBeGreaterThan(
    text.indexOf("Findings to fix"),
  );
  expect(at).toBeLessThan(text.indexOf("Boundaries at a glance"));
  expect(text).toContain(
    `This audit was started from certificate ${earlier}, issued `,
  );
  expect(text).toMatch(
    /with the plant verdict COMMISSIONED( WITH WAIVERS)?, SHA-256 [0-9a-f]{64}; it verified as valid/,
  );
  expect(text.slice(at)).toContain("▼ WORSE");
});
