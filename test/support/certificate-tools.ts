// The independent tools the certificate is checked with (poppler's pdfsig, pdftotext and pdftoppm, qpdf,
// OpenSSL, NSS's certutil). A missing tool fails the test with the line that installs it; CI installs them all.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readDer, whole } from "../../electron/engine/signing/der";

const PACKAGES: Readonly<Record<string, string>> = {
  pdfsig: "poppler-utils",
  pdftotext: "poppler-utils",
  pdftoppm: "poppler-utils",
  qpdf: "qpdf",
  openssl: "openssl",
  certutil: "libnss3-tools",
};

export function requireTools(...tools: string[]): void {
  const missing = tools.filter(
    (tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0,
  );
  if (missing.length > 0) {
    const packages = [
      ...new Set(missing.map((tool) => PACKAGES[tool] ?? tool)),
    ].join(" ");
    throw new Error(
      `${missing.join(", ")} not found: install with "apt-get install -y ${packages}" (.ci/run does).`,
    );
  }
}

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for tools that print verdicts on either. */
  output: string;
}

export function tool(
  command: string,
  args: readonly string[],
  input?: Uint8Array,
): ToolRun {
  const run = spawnSync(command, args, {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    ...(input !== undefined && { input }),
  });
  if (run.error !== undefined) throw run.error;
  return {
    status: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    output: `${run.stdout}\n${run.stderr}`,
  };
}

/** Where the signature (the /Contents hex string, "<" to ">") sits in a signed document. */
export function signatureHole(pdf: Uint8Array): { start: number; end: number } {
  const match = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(
    Buffer.from(pdf).toString("latin1"),
  );
  if (match === null) throw new Error("No /ByteRange in the document.");
  return { start: Number(match[1]), end: Number(match[2]) };
}

/** The bytes a PAdES signature covers and its CMS (without the zero padding), as OpenSSL wants them. */
export function signedParts(pdf: Uint8Array): {
  signedBytes: Buffer;
  cms: Buffer;
} {
  const text = Buffer.from(pdf).toString("latin1");
  const match = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(text);
  if (match === null) throw new Error("No /ByteRange in the document.");
  const [a, b, c] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const bytes = Buffer.from(pdf);
  const signedBytes = Buffer.concat([
    bytes.subarray(0, a),
    bytes.subarray(b, b + c),
  ]);
  const contents = Buffer.from(
    bytes.subarray(a + 1, b - 1).toString("latin1"),
    "hex",
  );
  const cms = Buffer.from(whole(contents, readDer(contents)));
  return { signedBytes, cms };
}

/**
 * `openssl cms -verify` of a document's signature over its signed bytes, the two written into `folder` as
 * `<name>.signed-bytes` and `<name>.p7s`. `extra`: more options (-attime, -crl_check, with CRLs in the CA file).
 */
export function opensslCmsVerify(
  pdf: Uint8Array,
  options: { folder: string; name: string; caFile: string; extra?: string[] },
): ToolRun {
  const { signedBytes, cms } = signedParts(pdf);
  const content = join(options.folder, `${options.name}.signed-bytes`);
  const signature = join(options.folder, `${options.name}.p7s`);
  writeFileSync(content, signedBytes);
  writeFileSync(signature, cms);
  return tool("openssl", [
    "cms",
    "-verify",
    "-binary",
    "-inform",
    "DER",
    "-in",
    signature,
    "-content",
    content,
    "-CAfile",
    options.caFile,
    ...(options.extra ?? []),
    "-out",
    "/dev/null",
  ]);
}
