// The practice plant (DESIGN §9) walked in the browser, as a field engineer in training would: every vantage
// run, the overview, sign-off — time-stamped by the practice TSA (PAdES B-T) — and the signed certificate
// verified. The good plant ends commissioned (a warning allowed); the broken one shows its failures and stays
// "not commissioned" until each is waived in the UI.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signatureTimeStamp, tool } from "../support/certificate-tools";
import { expect, test, type App } from "./app";

test.describe.configure({ timeout: 150_000 });

const PRACTICE_TSA =
  "CN=Cellcert PRACTICE Time-Stamping Authority, O=Cellcert Practice \\(policy 1\\.3\\.6\\.1\\.4\\.1\\.32473\\.1\\.3161\\)";
const TIME_STAMP_CHECKED = new RegExp(
  `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC by ${PRACTICE_TSA}: checked, its time-stamping authority chains to a CA given$`,
);
const TIME_STAMP_NOT_CHECKED = new RegExp(
  `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC by ${PRACTICE_TSA}: NOT checked, no CA was given \\(add its CA above to check it\\)$`,
);

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

/** The practice engineer's commissioning CA, as the practice plant writes it into the workspace (DESIGN §8). */
const practiceCa = (app: App, broken: boolean): string =>
  join(
    app.host.workspace,
    "practice",
    `practice-engineer-ca${broken ? "-broken" : ""}.pem`,
  );

async function signAndVerify(
  app: App,
  downloads: string,
  broken = false,
): Promise<string> {
  await app.goToStep("Sign-off");
  await expect(app.heading("Sign-off")).toBeVisible();
  await app.fillAndLeave("Witness name", "Pat Practice");
  const { path } = await app.exportCertificate(downloads);
  const verified = app.verifyWithCli(path, practiceCa(app, broken));
  expect(verified.status, verified.output).toBe(0);
  expect(verified.output).toMatch(
    /VALID — signed, and unchanged since signing/,
  );
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

  // The practice TSA time-stamps this session's signature: the sign-off says so before and after.
  await app.goToStep("Sign-off");
  await expect(
    app.page.getByText(
      /^By the PRACTICE time-stamping authority http:\/\/127\.0\.1\.5:\d+\/, for this session only: the saved practice plan names none$/,
    ),
  ).toBeVisible();
  const path = await signAndVerify(app, downloads);
  await app.waitForStamp("commissioned");
  await expect(
    app.page.getByText(
      /^Time-stamped \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by the PRACTICE time-stamping authority http:\/\/127\.0\.1\.5:\d+\/ \(CN=Cellcert PRACTICE Time-Stamping Authority, O=Cellcert Practice\)\.$/,
    ),
  ).toBeVisible();
  await app.shot("good-signed");

  // The token in the signed PDF, checked by OpenSSL against the practice engineer CA (DESIGN §9).
  const stamp = signatureTimeStamp(readFileSync(path));
  expect(stamp, "the signature carries a time-stamp").not.toBeNull();
  const token = join(downloads, "practice.tsr");
  writeFileSync(token, stamp?.token ?? Buffer.alloc(0));
  const engineerCa = join(
    app.host.workspace,
    "practice",
    "practice-engineer-ca.pem",
  );
  expect(
    tool("openssl", [
      "ts",
      "-verify",
      "-digest",
      stamp?.imprintHex ?? "",
      "-in",
      token,
      "-token_in",
      "-CAfile",
      engineerCa,
    ]).output,
  ).toContain("Verification: OK");
  const trusted = app.verifyWithCli(path, engineerCa);
  expect(trusted.status, trusted.output).toBe(0);

  // The three answers of "Verify a certificate". Without a CA: intact, but never called valid, and the CA is
  // asked for right there (said as what to do here, not as a command-line option).
  await app.page.getByRole("button", { name: "Verify a certificate" }).click();
  const unchecked = await app.verifyInUi(path);
  await expect(unchecked).toHaveAccessibleName(/^Intact, signer NOT checked: /);
  await expect(unchecked).toContainText("PRACTICE");
  await expect(unchecked).toContainText("Not called valid");
  await expect(unchecked).toContainText(
    "Add the commissioning CA certificate above",
  );
  await expect(unchecked).not.toContainText("--ca");
  await expect(unchecked.locator(".icon-alert").first()).toBeVisible();
  // The practice TSA's time-stamp is shown, and NOT called checked without its CA: the laptop's clock is judged.
  await expect(unchecked.getByText(TIME_STAMP_NOT_CHECKED)).toBeVisible();
  await expect(
    unchecked.getByText(/, the signing time by the signer's laptop clock$/),
  ).toBeVisible();
  await app.shot("good-verified-signer-not-checked");
  // Given the practice engineer's CA where it was asked for, the same document is checked again: valid.
  await unchecked
    .getByLabel("Check the signer with the commissioning CA (PEM)…")
    .setInputFiles(practiceCa(app, false));
  const valid = app.page.getByRole("region", { name: /^Valid: / });
  await expect(valid).toBeVisible();
  await expect(valid).toContainText("Signer from the CAs givenyes");
  await expect(valid.locator(".icon-check").first()).toBeVisible();
  // practice-engineer-ca.pem checks the practice TSA too: its time-stamp is checked and the signer judged at it.
  await expect(valid.getByText(TIME_STAMP_CHECKED)).toBeVisible();
  await expect(
    valid.getByText(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, the time-stamp's time$/,
    ),
  ).toBeVisible();
  await expect(
    valid.getByText(/^2 certificates \(CN=.*\) and no CRL$/),
  ).toBeVisible();
  await app.expectAccessible("verify, valid");
  await app.shot("good-verified");
  // One byte changed: not valid, with or without the CA.
  const tampered = join(downloads, "tampered.pdf");
  const bytes = readFileSync(path);
  bytes[2000] = (bytes[2000] ?? 0) ^ 0x01;
  writeFileSync(tampered, bytes);
  const invalid = await app.verifyInUi(tampered);
  await expect(invalid).toHaveAccessibleName(/^Not valid: /);
  await expect(invalid.locator(".icon-cross").first()).toBeVisible();
  await app.shot("tampered-not-valid");
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
  const before = await signAndVerify(app, downloads, true);
  await app.waitForStamp("not commissioned");
  expect(app.verifyWithCli(before, practiceCa(app, true)).output).toMatch(
    /not commissioned/i,
  );
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

  const after = await signAndVerify(app, downloads, true);
  await app.waitForStamp("commissioned with waivers");
  expect(app.verifyWithCli(after, practiceCa(app, true)).output).toMatch(
    /commissioned with waivers/i,
  );
  await app.shot("broken-signed");
});
