// Files the user names on the command line (--ca, --client-p12, --identity, the PDF to verify): read with a
// size bound, and every failure a sentence naming the option and what to give instead (exit 2, never a stack).
import { X509Certificate } from "node:crypto";
import { open } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { splitPemCertificates } from "../engine/certs";
import { UserError } from "../engine/errors";

/** A PKCS#12 file is a few kilobytes; anything larger is not one. */
export const MAX_PKCS12_BYTES = 1024 * 1024;
/** A PEM bundle of CA certificates. */
export const MAX_PEM_BYTES = 4 * 1024 * 1024;

export interface InputFile {
  /** As the user typed it, for messages: "--ca plant-ca.pem". */
  label: string;
  /** Resolved against the working folder. */
  path: string;
  limitBytes: number;
  /** What the option wants, for the sentence: "give the path of the engineer's .p12 file". */
  hint: string;
}

const code = (error: unknown): string =>
  (error as NodeJS.ErrnoException).code ??
  (error instanceof Error ? error.message : "error");

/** The file's bytes; a missing, unreadable or oversized file is a UserError saying what to give. */
export async function readInputFile(file: InputFile): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file.path, "r");
    const info = await handle.stat();
    if (!info.isFile())
      throw new UserError(
        "invalid-input",
        `${file.label}: ${basename(file.path)} is not a file; ${file.hint}.`,
      );
    if (info.size > file.limitBytes)
      throw new UserError(
        "invalid-input",
        `${file.label}: ${basename(file.path)} is ${(info.size / 1024 / 1024).toFixed(1)} MiB, far larger than such a file can be; ${file.hint}.`,
      );
    return new Uint8Array(await handle.readFile());
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      code(error) === "ENOENT" ? "not-found" : "unavailable",
      `${file.label}: ${file.path} cannot be read (${code(error)}); ${file.hint}.`,
      { cause: error },
    );
  } finally {
    await handle?.close();
  }
}

/**
 * The PEM certificates of --ca files, each file holding one or more, each one checked to parse.
 * `what` names the certificate wanted: "the CA certificate", "the commissioning CA's certificate".
 */
export async function readCaFiles(
  files: readonly string[],
  cwd: string,
  what = "the CA certificate",
): Promise<string[]> {
  const pems: string[] = [];
  for (const file of files) {
    const label = `--ca ${file}`;
    const hint = `give ${what} in PEM`;
    const bytes = await readInputFile({
      label,
      path: resolve(cwd, file),
      limitBytes: MAX_PEM_BYTES,
      hint,
    });
    const blocks = splitPemCertificates(Buffer.from(bytes).toString("utf8"));
    if (blocks.length === 0)
      throw new UserError(
        "invalid-input",
        `${label}: no -----BEGIN CERTIFICATE----- block in it; ${hint}.`,
      );
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
