// The independent tools the certificate is checked with (poppler's pdfsig, pdftotext and pdftoppm, qpdf,
// OpenSSL, NSS's certutil). A missing tool fails the test with the line that installs it; CI installs them all.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSignedData } from "../../electron/engine/signing/cms-reader";
import { readDer, whole } from "../../electron/engine/signing/der";
import { OID } from "../../electron/engine/signing/oids";

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

/**
 * The environment for a tool. node-opcua-crypto (the OPC UA practice server, run in-process by `demo` tests)
 * restores an unset OPENSSL_CONF as the string "undefined", which makes every later openssl fail to start.
 */
export function toolEnvironment(): NodeJS.ProcessEnv {
  const { OPENSSL_CONF, ...rest } = process.env;
  return OPENSSL_CONF === undefined || OPENSSL_CONF === "undefined"
    ? rest
    : { ...rest, OPENSSL_CONF };
}

export function tool(
  command: string,
  args: readonly string[],
  input?: Uint8Array,
): ToolRun {
  const run = spawnSync(command, args, {
    encoding: "utf8",
    env: toolEnvironment(),
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
 * `openssl cms -verify` of a document's signature over its signed bytes against `caFile`, the two written into
 * `folder` (a fresh temporary one by default) as `<name>.signed-bytes` and `<name>.p7s`. `extra`: more options
 * (-attime, -crl_check, with CRLs in the CA file).
 */
export function opensslCmsVerify(
  pdf: Uint8Array,
  options: { caFile: string; folder?: string; name?: string; extra?: string[] },
): ToolRun {
  const { signedBytes, cms } = signedParts(pdf);
  const folder =
    options.folder ?? mkdtempSync(join(tmpdir(), "cellcert-cms-verify-"));
  const name = options.name ?? "signature";
  const content = join(folder, `${name}.signed-bytes`);
  const signature = join(folder, `${name}.p7s`);
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

/**
 * The signature time-stamp token in a signed document's CMS (the unsigned attribute id-aa-signatureTimeStampToken)
 * and the imprint it must carry: the SHA-256 of the signature value. Null when the signature has none.
 */
export function signatureTimeStamp(
  pdf: Uint8Array,
): { token: Buffer; imprintHex: string } | null {
  const cms = readSignedData(signedParts(pdf).cms);
  const attribute = cms.unsignedAttributes.find(
    (a) => a.type === OID.signatureTimeStampToken,
  );
  const token = attribute?.values[0];
  if (token === undefined) return null;
  return {
    token,
    imprintHex: createHash("sha256").update(cms.signature).digest("hex"),
  };
}
