// Both practice plants end to end, as `npm run demo` runs them — every vantage, certify, verify — and the
// certificates they end with, read by independent tools: pdftotext (text and word boxes), qpdf, pdfsig, pdfdetach.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../electron/cli/program";
import { readPlanFile } from "../../electron/engine/plan-store/plan-file";
import {
  PRACTICE_PASSPHRASE,
  PRACTICE_PASSPHRASE_VARIABLE,
} from "../../electron/engine/practice/protocol";
import type { EvidenceDocument } from "../../electron/engine/report/evidence";
import { PER_PATH_TLS12_ONLY } from "../../electron/engine/rules/mtls";
import { captureIo } from "../support/cli";
import {
  requireTools,
  signatureTimeStamp,
  tool,
} from "../support/certificate-tools";
import {
  overlappingWords,
  pageTexts,
  qdfObject,
  qdfText,
  wordBoxes,
} from "../support/pdf-layout";

interface Demo {
  dir: string;
  code: number;
  out: string;
  pdf: string;
  pages: string[];
}

async function demo(
  variant: "good" | "broken",
  portBase: number,
): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), `cellcert-demo-${variant}-`));
  const io = captureIo();
  const code = await runCli(
    [
      "demo",
      "--run",
      ...(variant === "broken" ? ["--broken"] : []),
      "--dir",
      dir,
      "--port-base",
      String(portBase),
    ],
    io,
  );
  const pdf = join(
    dir,
    variant === "broken"
      ? "practice-certificate-broken.pdf"
      : "practice-certificate.pdf",
  );
  return { dir, code, out: io.out.join("\n"), pdf, pages: pageTexts(pdf) };
}

/** The latest result of a check on an endpoint, from the plan the demo wrote. */
function resultOf(plan: string, checkId: string, endpointId: string) {
  const saved = JSON.parse(readFileSync(plan, "utf8")) as {
    runs: {
      results: {
        checkId: string;
        endpointId: string;
        verdict: string;
        message: string;
      }[];
    }[];
  };
  return saved.runs
    .flatMap((run) => run.results)
    .filter((r) => r.checkId === checkId && r.endpointId === endpointId)
    .at(-1);
}

/** The embedded evidence JSON, as pdfdetach saves it. */
function embeddedEvidence(demo: Demo): EvidenceDocument {
  const file = join(demo.dir, "extracted-evidence.json");
  const run = tool("pdfdetach", [
    "-savefile",
    "cellcert-evidence.json",
    "-o",
    file,
    demo.pdf,
  ]);
  expect(run.status, run.output).toBe(0);
  return JSON.parse(readFileSync(file, "utf8")) as EvidenceDocument;
}

/** What PDF/A-3b asks of the catalog and the fonts, checked on qpdf's uncompressed rewrite. */
function expectPdfA3b(demo: Demo): void {
  const qdf = qdfText(demo.pdf, demo.dir);
  const catalog = qdfObject(qdf, /\/Root (\d+ 0 R)/.exec(qdf)?.[1] ?? "");
  const ref = (key: string, within = catalog): string => {
    const found =
      new RegExp(`/${key} (\\d+ 0 R)`).exec(within)?.[1] ??
      new RegExp(`/${key} \\[\\s*(\\d+ 0 R)`).exec(within)?.[1];
    if (found === undefined)
      throw new Error(`/${key} is missing from ${within.slice(0, 400)}`);
    return found;
  };
  // XMP metadata with the PDF/A identification, unfiltered.
  const metadata = qdfObject(qdf, ref("Metadata"));
  expect(metadata).toContain("/Subtype /XML");
  expect(metadata).not.toContain("/Filter");
  expect(metadata).toContain("<pdfaid:part>3</pdfaid:part>");
  expect(metadata).toContain("<pdfaid:conformance>B</pdfaid:conformance>");
  // An sRGB output intent with its ICC profile.
  const intent = qdfObject(qdf, ref("OutputIntents"));
  expect(intent).toContain("/S /GTS_PDFA1");
  expect(intent).toContain("sRGB IEC61966-2.1");
  expect(qdfObject(qdf, ref("DestOutputProfile", intent))).toMatch(/\/N 3\b/);
  // The evidence JSON as an associated file, relationship Data.
  const spec = qdfObject(qdf, ref("AF"));
  expect(spec).toContain("/AFRelationship /Data");
  expect(spec).toContain("(cellcert-evidence.json)");
  const file = qdfObject(qdf, ref("F", spec.slice(spec.indexOf("/EF"))));
  expect(file).toContain("/Type /EmbeddedFile");
  expect(file).toMatch(/\/Subtype \/application#2[fF]json/);
  expect(file).toMatch(/\/ModDate \(D:\d{14}Z/);
  // Every font embedded (no standard 14 font); nothing PDF/A forbids.
  const descriptors = [...qdf.matchAll(/\/Type \/FontDescriptor/g)].length;
  expect(descriptors).toBeGreaterThan(3);
  expect([...qdf.matchAll(/\/FontFile2 \d+ 0 R/g)].length).toBe(descriptors);
  expect(qdf).not.toMatch(
    /\/Subtype \/Type1\b|\/Encrypt|\/JavaScript|\/JS\b|\/SMask|\/Group/,
  );
  expect(
    tool("pdffonts", [demo.pdf])
      .stdout.split("\n")
      .slice(2)
      .filter((l) => l.trim() !== "")
      .every((l) => / yes yes yes /.test(l)),
  ).toBe(true);
}

function expectNoTextOnText(demo: Demo): void {
  const overlaps = overlappingWords(wordBoxes(demo.pdf));
  expect(
    overlaps.map(([a, b]) => `page ${a.page}: "${a.text}" over "${b.text}"`),
  ).toEqual([]);
}

function expectEvidenceIdsAsInTheJson(demo: Demo): void {
  const evidence = embeddedEvidence(demo);
  const refs = new Set(
    evidence.runs.flatMap((run) => run.evidence.map((e) => e.ref)),
  );
  const printed = new Set(demo.pages.join("\n").match(/\bR\d+-E\d+\b/g) ?? []);
  expect(printed.size).toBeGreaterThan(10);
  for (const ref of printed) expect(refs.has(ref), ref).toBe(true);
  for (const check of evidence.assessment.boundaries.flatMap((b) => b.checks))
    for (const ref of check.evidenceRefs)
      expect(printed.has(ref), `${check.checkId} ${ref}`).toBe(true);
}

beforeAll(() =>
  requireTools("pdftotext", "pdfsig", "qpdf", "pdffonts", "pdfdetach"),
);

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

describe("cellcert demo --run, the good practice plant", () => {
  let good: Demo;
  beforeAll(async () => {
    good = await demo("good", 30000);
  }, 120_000);

  it("commissions it: no check fails, exit 0, a verified PRACTICE certificate", () => {
    expect(good.out).toContain("No check failed.");
    expect(good.out).toContain("Plant verdict: commissioned (PRACTICE)");
    expect(good.out).toContain("VALID — signed, and unchanged since signing.");
    expect(good.out).toContain("Practice plant stopped.");
    expect(good.code).toBe(0);
    expectTimeStampChecked(good.out);
    expect(tool("pdfsig", [good.pdf]).stdout).toContain("Signature is Valid.");
  });

  it("fits in 16 pages, every one saying PRACTICE and 'page X of Y'", () => {
    expect(good.pages.length).toBeGreaterThan(3);
    expect(good.pages.length).toBeLessThanOrEqual(16);
    good.pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain(
        "PRACTICE — NOT A COMMISSIONING CERTIFICATE",
      );
      expect(text, `page ${i + 1}`).toContain(
        `Page ${i + 1} of ${good.pages.length}`,
      );
    });
  });

  it("prints no text on other text", () => expectNoTextOnText(good));

  it("has on page 1 the stamp with PRACTICE inside it, the earliest certificate expiry and the next audit", () => {
    const page = good.pages[0] ?? "";
    expect(page).toMatch(
      /PLANT VERDICT\s+✔ COMMISSIONED\s+PRACTICE — NOT A COMMISSIONING CERTIFICATE\s+8 boundaries in scope/,
    );
    expect(page).toMatch(
      /Earliest certificate\s+expiry\s+\d{4}-\d{2}-\d{2}, opcenter\.practice\.cellcert, in \d+ days/,
    );
    expect(page).toMatch(
      /Next audit due\s+\d{4}-\d{2}-\d{2} \(12 months after issue\)/,
    );
    expect(page).toMatch(
      /Cellcert \d+\.\d+\.\d+ \(build ([0-9a-f]{7}|unknown)\), Node v\d+\.\d+\.\d+, OpenSSL \d/,
    );
    expect(good.pages[1]).toMatch(/^Findings to fix\s+No check failed\./);
  });

  it("gives one line per passing check and a full block only for the warning and the attested checks", () => {
    const text = good.pages.join("\n");
    expect(text.match(/^Pass if$/gm)?.length).toBe(4);
    expect(text).toContain("IIS-BIND.cert.validity — Certificate validity");
    expect(text).toMatch(
      /IEC 62443-3-3 view: zones and conduits[\s\S]*SR 4\.1/,
    );
    expect(text).toMatch(
      /Scope, method and limitations[\s\S]*Cell networks[\s\S]*Endpoint inventory/,
    );
  });

  it("is time-stamped by the practice TSA, which practice-engineer-ca.pem checks as it checks the engineer", () => {
    expect(good.out).toMatch(
      /Time-stamped: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by the PRACTICE time-stamping authority http:\/\/127\.0\.1\.5:30318\/ \(CN=Cellcert PRACTICE Time-Stamping Authority, O=Cellcert Practice;/,
    );
    const stamp = signatureTimeStamp(readFileSync(good.pdf));
    if (stamp === null)
      throw new Error("The practice certificate has no time-stamp.");
    const token = join(good.dir, "practice.tsr");
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
        join(good.dir, "practice-engineer-ca.pem"),
      ]).output,
    ).toContain("Verification: OK");
  });

  it("saves a plan that names no TSA: a later certify, with the plant stopped, signs without one", async () => {
    const planPath = join(good.dir, "practice-plant.cellcert.json");
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
          join(good.dir, "identities", "practice-engineer.p12"),
          "--passphrase-env",
          PRACTICE_PASSPHRASE_VARIABLE,
          "--out",
          join(good.dir, "later.pdf"),
        ],
        later,
      ),
    ).toBe(0);
    expect(later.out.join("\n")).not.toContain("Time-stamped");
    expect(
      signatureTimeStamp(readFileSync(join(good.dir, "later.pdf"))),
    ).toBeNull();
  });

  it("judges the MES site, which answers only hellos with its name (HTTP.sys, SNI bindings), probed with it", () => {
    expect(
      resultOf(
        join(good.dir, "practice-plant.cellcert.json"),
        "IIS-BIND.tls.protocol",
        "mes-site",
      )?.verdict,
    ).toBe("pass");
  });

  it("is PDF/A-3b in its structure", () => expectPdfA3b(good));

  it("names each evidence record as the embedded JSON does (R<run>-E<n>)", () =>
    expectEvidenceIdsAsInTheJson(good));
});

describe("cellcert demo --run --broken", () => {
  let broken: Demo;
  const FAILING = [
    "APP-DB.tds.cert sql-server",
    "APP-EXT.secure-protocol external-system",
    "ENT-PER.segmentation sql-server",
    "ENT-PER.tls.protocol perimeter-web",
    "MES-PCS.opcua.anonymous process-control-opcua",
    "MES-PCS.opcua.mode process-control-opcua",
    "MES-PCS.opcua.policy process-control-opcua",
    "PER-MES.mtls.anonymous-refused mes-gateway",
  ];
  beforeAll(async () => {
    broken = await demo("broken", 31000);
  }, 120_000);

  it("reports each planted fault as its own failing check, and nothing else: exit 1", () => {
    const failing = broken.out
      .split("\n")
      .filter((line) => line.startsWith("  FAIL  "))
      .map((line) =>
        line
          .split(/\s{2,}/)
          .slice(2, 4)
          .join(" "),
      )
      .sort();
    expect(failing).toEqual(FAILING);
    expect(broken.out).toContain("Plant verdict: not commissioned (PRACTICE)");
    expect(broken.out).toContain("Practice plant stopped.");
    expect(broken.code).toBe(1);
    expectTimeStampChecked(broken.out);
  });

  it("warns, not fails a second time, where the broken gateway asks per path as IIS does", () => {
    const identity = resultOf(
      join(broken.dir, "practice-plant-broken.cellcert.json"),
      "PER-MES.mtls.identity-accepted",
      "mes-gateway",
    );
    expect(identity?.verdict).toBe("warn");
    expect(identity?.message).toContain(PER_PATH_TLS12_ONLY);
  });

  it("says NOT COMMISSIONED in the stamp and 're-test after remediation' instead of a next audit date", () => {
    const page = broken.pages[0] ?? "";
    expect(page).toMatch(
      /PLANT VERDICT\s+✖ NOT COMMISSIONED\s+PRACTICE — NOT A COMMISSIONING CERTIFICATE/,
    );
    expect(page).toMatch(
      /Next audit\s+re-test after remediation: 8 failing checks to fix/,
    );
    expect(page).not.toContain("Next audit due");
  });

  it("lists on page 2 exactly the failing checks under 'Findings to fix', each with its endpoint", () => {
    expect(broken.pages[1]).toMatch(/^Findings to fix\s+8 checks failed\./);
    const findings = broken.pages.slice(1).join("\n");
    const table = findings.slice(
      0,
      findings.search(/\nNot judged, because|\nWaivers\n/),
    );
    const rows = [
      ...table.matchAll(/^([A-Z][A-Z-]+\.[a-z0-9.-]+)(?= |\n)/gm),
    ].map((m) => m[1]);
    expect(rows.sort()).toEqual(FAILING.map((f) => f.split(" ")[0]).sort());
    for (const row of FAILING) expect(table).toContain(row.split(" ")[1]);
    expect(table).toMatch(/inside Enterprise\s+127\.0\.1\.0\/24 ✔/);
  });

  it("prints no text on other text", () => expectNoTextOnText(broken));

  it("shows each planted fault in the evidence tables that prove it", () => {
    const text = pageTexts(broken.pdf, true).join("\n");
    expect(text).toMatch(/TLS 1\.0\s+✖ accepted/);
    expect(text).toMatch(/TLS 1\.1\s+✖ accepted/);
    expect(text).toMatch(/no certificate\s+TLS 1\.2\s+✖ served/);
    // Per path, as IIS on Windows Server 2022: TLS 1.3 has no renegotiation, so the gateway resets instead.
    expect(text).toMatch(/no certificate\s+TLS 1\.3\s+✔ refused\s+first read/);
    expect(text).toMatch(/\d+\s+closed\s+✖ open/);
    expect(text).toMatch(/speaks TLS: no \(plaintext-http\)/);
    expect(text).toContain("CN=SSL_Self_Signed_Fallback");
    expect(broken.pages.join("\n")).toMatch(/Basic128Rsa15\s+\(deprecated\)/);
    expect(text).toMatch(/opc\.tcp:\S+\s+None\s+None/);
  });

  it("is PDF/A-3b in its structure, and its signature stays valid", () => {
    expectPdfA3b(broken);
    expect(tool("pdfsig", [broken.pdf]).stdout).toContain(
      "Signature is Valid.",
    );
    expect(broken.pages.length).toBeLessThanOrEqual(20);
  });

  it("names each evidence record as the embedded JSON does (R<run>-E<n>)", () =>
    expectEvidenceIdsAsInTheJson(broken));
});
