// Both practice plants end to end, as `npm run demo` runs them: every vantage, certify, verify.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../electron/cli/program";
import { readPlanFile } from "../../electron/engine/plan-store/plan-file";
import {
  PRACTICE_PASSPHRASE,
  PRACTICE_PASSPHRASE_VARIABLE,
} from "../../electron/engine/practice/protocol";
import { signatureTimeStamp, tool } from "../support/certificate-tools";
import { captureIo } from "../support/cli";

function pdfPages(file: string): string[] {
  const info = spawnSync("pdfinfo", [file], { encoding: "utf8" });
  if (info.status !== 0)
    throw new Error("pdfinfo is missing: apt-get install -y poppler-utils");
  const pages = Number(/Pages:\s+(\d+)/.exec(info.stdout)?.[1] ?? 0);
  return Array.from(
    { length: pages },
    (_, i) =>
      spawnSync(
        "pdftotext",
        ["-f", String(i + 1), "-l", String(i + 1), file, "-"],
        { encoding: "utf8" },
      ).stdout,
  );
}

/** The demo's own verify checks the practice TSA with practice-engineer-ca.pem, as it checks the engineer, and
 * judges the signer at the TSA's time (PAdES B-T end to end). */
function expectTimeStampChecked(out: string): void {
  expect(out).toMatch(
    /^Time-stamped +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by CN=Cellcert PRACTICE Time-Stamping Authority, O=Cellcert Practice \(policy 1\.3\.6\.1\.4\.1\.32473\.1\.3161\): checked, its time-stamping authority chains to a CA given$/m,
  );
  expect(out).toMatch(
    /^Signer judged at +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, the time-stamp's time$/m,
  );
  expect(out).toMatch(/✔ PASS +time-stamp +Time-stamped /);
}

describe("cellcert demo --run", () => {
  it("commissions the good practice plant: no check fails, exit 0, a verified PRACTICE certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellcert-demo-good-"));
    const io = captureIo();
    const code = await runCli(
      ["demo", "--run", "--dir", dir, "--port-base", "30000"],
      io,
    );
    const out = io.out.join("\n");
    expect(out).toContain("No check failed.");
    expect(out).toContain("Plant verdict: commissioned (PRACTICE)");
    expect(out).toContain("VALID — signed, and unchanged since signing.");
    expect(out).toContain("Practice plant stopped.");
    expect(code).toBe(0);
    const pdf = join(dir, "practice-certificate.pdf");
    expect(existsSync(pdf)).toBe(true);
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((text, i) =>
      expect(text, `page ${i + 1}`).toContain("PRACTICE"),
    );

    // Time-stamped by the practice TSA, which practice-engineer-ca.pem checks as it checks the engineer.
    expect(out).toMatch(
      /Time-stamped: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by the PRACTICE time-stamping authority http:\/\/127\.0\.1\.5:30318\/ \(CN=Cellcert PRACTICE Time-Stamping Authority, O=Cellcert Practice;/,
    );
    expectTimeStampChecked(out);
    const stamp = signatureTimeStamp(readFileSync(pdf));
    if (stamp === null)
      throw new Error("The practice certificate has no time-stamp.");
    const token = join(dir, "practice.tsr");
    writeFileSync(token, stamp.token);
    expect(
      tool("openssl", [
        "ts",
        "-verify",
        "-digest",
        stamp.imprintHex,
        "-in",
        token,
        "-token_in",
        "-CAfile",
        join(dir, "practice-engineer-ca.pem"),
      ]).output,
    ).toContain("Verification: OK");

    // The saved plan names no TSA: a later certify, with the plant stopped, signs without one.
    const planPath = join(dir, "practice-plant.cellcert.json");
    expect(
      (await readPlanFile(planPath)).plan.policy.timestampAuthority,
    ).toBeUndefined();
    const later = captureIo({
      env: { [PRACTICE_PASSPHRASE_VARIABLE]: PRACTICE_PASSPHRASE },
    });
    expect(
      await runCli(
        [
          "certify",
          "--plan",
          planPath,
          "--identity",
          join(dir, "identities", "practice-engineer.p12"),
          "--passphrase-env",
          PRACTICE_PASSPHRASE_VARIABLE,
          "--out",
          join(dir, "later.pdf"),
        ],
        later,
      ),
    ).toBe(0);
    expect(later.out.join("\n")).not.toContain("Time-stamped");
    expect(signatureTimeStamp(readFileSync(join(dir, "later.pdf")))).toBeNull();
  }, 120_000);

  it("reports each planted fault of the broken plant as its own failing check, and nothing else: exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellcert-demo-broken-"));
    const io = captureIo();
    const code = await runCli(
      ["demo", "--run", "--broken", "--dir", dir, "--port-base", "31000"],
      io,
    );
    const out = io.out.join("\n");
    const failing = out
      .split("\n")
      .filter((line) => line.startsWith("  FAIL  "))
      .map((line) =>
        line
          .split(/\s{2,}/)
          .slice(2, 4)
          .join(" "),
      )
      .sort();
    expect(failing).toEqual([
      "APP-DB.tds.cert sql-server",
      "APP-EXT.secure-protocol external-system",
      "ENT-PER.segmentation sql-server",
      "ENT-PER.tls.protocol perimeter-web",
      "MES-PCS.opcua.anonymous process-control-opcua",
      "MES-PCS.opcua.mode process-control-opcua",
      "MES-PCS.opcua.policy process-control-opcua",
      "PER-MES.mtls.anonymous-refused mes-gateway",
    ]);
    expect(out).toContain("Plant verdict: not commissioned (PRACTICE)");
    expect(out).toContain("Practice plant stopped.");
    expect(code).toBe(1);
    expect(existsSync(join(dir, "practice-certificate-broken.pdf"))).toBe(true);
    expectTimeStampChecked(out);
  }, 120_000);
});
