// Files the user names on the command line (--ca, --crl, --client-p12, --identity, the PDF to verify): read with a
// size bound, and every failure a sentence naming the option and what to give instead (exit 2, never a stack).
import { X509Certificate } from "node:crypto";
import { open } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { pemCertificatesOf } from "../engine/x509/certificate-info";
import { errorCode, UserError } from "../engine/errors";

/** A PKCS#12 file is a few kilobytes; anything larger is not one. */
export const MAX_PKCS12_BYTES = 1024 * 1024;
/** A PEM bundle of CA certificates. */
const MAX_PEM_BYTES = 4 * 1024 * 1024;

export interface InputFile {
  /** As the user typed it, for messages: "--ca plant-ca.pem". */
  label: string;
  /** Resolved against the working folder. */
  path: string;
  limitBytes: number;
  /** What the option wants, for the sentence: "give the path of the engineer's .p12 file". */
  hint: string;
}

/** The file's bytes; a missing, unreadable or oversized file is a UserError saying what to give. A pipe
 * (`--ca <(cat a.pem b.pem)`, /dev/stdin) is read too, up to the same limit. */
export async function readInputFile(file: InputFile): Promise<Uint8Array> {
  /** `atLeast`: a pipe read until the limit, whose whole size is unknown. */
  const tooLarge = (bytes: number, atLeast: boolean) =>
    new UserError(
      "invalid-input",
      `${file.label}: ${basename(file.path)} is ${atLeast ? "more than " : ""}${(bytes / 1024 / 1024).toFixed(1)} MiB, far larger than such a file can be; ${file.hint}.`,
    );
  let handle;
  try {
    handle = await open(file.path, "r");
    const info = await handle.stat();
    if (!info.isFile() && !info.isFIFO() && !info.isCharacterDevice())
      throw new UserError(
        "invalid-input",
        `${file.label}: ${file.path} is ${info.isDirectory() ? "a folder" : "not a file"}; ${file.hint}.`,
      );
    if (info.isFile() && info.size > file.limitBytes)
      throw tooLarge(info.size, false);
    // Read in chunks up to one byte past the limit: a pipe has no size to check first.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > file.limitBytes) throw tooLarge(total, !info.isFile());
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = errorCode(error) || "error";
    throw new UserError(
      code === "ENOENT" ? "not-found" : "unavailable",
      `${file.label}: ${file.path} cannot be read (${code}); ${file.hint}.`,
      { cause: error },
    );
  } finally {
    await handle?.close();
  }
}

/**
 * The PEM certificates of --ca files, each file holding one or more, each one checked to parse; a DER certificate
 * (a Windows CA's .cer) is taken too, as PEM. `what` names the certificate wanted: "the CA certificate", "the
 * commissioning CA's certificate".
 */
export async function readCaFiles(
  files: readonly string[],
  cwd: string,
  what = "the CA certificate",
): Promise<string[]> {
  const pems: string[] = [];
  for (const file of files) {
    const label = `--ca ${file}`;
    const hint = `give ${what}, in PEM or DER`;
    const bytes = await readInputFile({
      label,
      path: resolve(cwd, file),
      limitBytes: MAX_PEM_BYTES,
      hint,
    });
    const blocks = pemCertificatesOf(bytes);
    if (blocks.length === 0) {
      const text = Buffer.from(bytes).toString("utf8");
      // Said as what it is: a key or a PKCS#12 file given in place of the CA's certificate is the usual mistake.
      const instead = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)
        ? " it holds a private key, not a certificate;"
        : /\.(p12|pfx)$/i.test(file)
          ? " it looks like a PKCS#12 identity, not a CA's certificate;"
          : "";
      throw new UserError(
        "invalid-input",
        `${label}: no -----BEGIN CERTIFICATE----- block in it, and it is not a DER certificate either;${instead} ${hint}.`,
      );
    }
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (error) {
        throw new UserError(
          "invalid-input",
          `${label}: a certificate in it cannot be read (${error instanceof Error ? error.message : String(error)}).`,
          { cause: error },
        );
      }
      pems.push(block);
    }
  }
  return pems;
}

/** A CRL file: the largest CAs publish a few MiB. */
const MAX_CRL_BYTES = 16 * 1024 * 1024;

/**
 * The CRLs of --crl files (PEM — one or several blocks — or DER), each checked to parse, as PEM. A file that is
 * not a CRL is a UserError naming the file and why (exit 2). Shared by every command that takes --crl.
 */
export async function readCrlFiles(
  files: readonly string[],
  cwd: string,
): Promise<string[]> {
  const pems: string[] = [];
  if (files.length === 0) return pems;
  // The CRL reader needs pkijs: loaded only when there is a CRL to read (`probe tls` starts without it).
  const { CrlReadError, crlPem, readCrlFile } =
    await import("../engine/x509/revocation");
  for (const file of files) {
    const label = `--crl ${file}`;
    const bytes = await readInputFile({
      label,
      path: resolve(cwd, file),
      limitBytes: MAX_CRL_BYTES,
      hint: "give the CRL the CA publishes, as PEM or DER",
    });
    try {
      pems.push(
        ...readCrlFile(bytes, basename(file)).map((crl) => crlPem(crl.der)),
      );
    } catch (error) {
      if (error instanceof CrlReadError)
        throw new UserError("invalid-input", `${label}: ${error.message}`, {
          cause: error,
        });
      throw error;
    }
  }
  return pems;
}
