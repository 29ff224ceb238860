// Files named on the command line: read with a bound, failures as sentences; pipes read like files.
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { createPracticePki } from "../demo/pki";
import { readCaFiles, readInputFile } from "./input-files";

const dir = mkdtempSync(join(tmpdir(), "cellcert-input-files-"));
const input = (path: string, limitBytes = 1024) => ({
  label: "--ca plant-ca.pem",
  path,
  limitBytes,
  hint: "give the CA certificate in PEM",
});

/** A named pipe fed `bytes` by a writer that opens it once the reader does. */
function pipeOf(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  execFileSync("mkfifo", [path]);
  const writer = createWriteStream(path);
  writer.on("error", () => undefined);
  writer.end(bytes);
  return path;
}

describe("reading an input file", () => {
  it("reads a file within the limit", async () => {
    const path = join(dir, "small.pem");
    writeFileSync(path, "pem text");
    expect(Buffer.from(await readInputFile(input(path))).toString()).toBe(
      "pem text",
    );
  });

  it("says what to give for a missing file", async () => {
    const path = join(dir, "gone.pem");
    await expect(readInputFile(input(path))).rejects.toThrow(
      `--ca plant-ca.pem: ${path} cannot be read (ENOENT); give the CA certificate in PEM.`,
    );
  });

  it("refuses a file over the limit and a folder, naming the option", async () => {
    const path = join(dir, "large.pem");
    writeFileSync(path, Buffer.alloc(2 * 1024 * 1024));
    await expect(readInputFile(input(path))).rejects.toThrow(
      /^--ca plant-ca\.pem: large\.pem is 2\.0 MiB, far larger than such a file can be/,
    );
    await expect(readInputFile(input(dir))).rejects.toThrow(
      `--ca plant-ca.pem: ${dir} is a folder`,
    );
  });

  it("reads a pipe, and stops one that goes past the limit", async () => {
    const text = Buffer.from("-----BEGIN CERTIFICATE-----\n");
    expect(
      Buffer.from(await readInputFile(input(pipeOf("ok.fifo", text)))),
    ).toEqual(text);
    await expect(
      readInputFile(input(pipeOf("big.fifo", Buffer.alloc(200 * 1024)))),
    ).rejects.toThrow(/is more than 0\.\d MiB, far larger than such a file/);
  });
});

describe("reading --ca files", () => {
  const pki = createPracticePki({ now: new Date() });

  it("takes PEM (bundles too) and a DER certificate, each as PEM", async () => {
    const pem = join(dir, "root.pem");
    writeFileSync(pem, pki.root.pem + pki.intermediate.pem);
    const der = join(dir, "root.cer");
    writeFileSync(der, pki.root.der);
    const read = await readCaFiles([pem, der], dir);
    expect(read).toHaveLength(3);
    expect(new X509Certificate(read[2] ?? "").fingerprint256).toBe(
      new X509Certificate(pki.root.der).fingerprint256,
    );
  });

  it("refuses two DER certificates pasted together rather than take the first unseen", async () => {
    const both = join(dir, "both.cer");
    writeFileSync(both, Buffer.concat([pki.intermediate.der, pki.root.der]));
    await expect(readCaFiles([both], dir)).rejects.toThrow(
      "and it is not a DER certificate either",
    );
  });

  it("says so when a private key is given in place of the CA's certificate", async () => {
    const key = join(dir, "server.key");
    writeFileSync(
      key,
      generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
        type: "pkcs8",
        format: "pem",
      }),
    );
    await expect(readCaFiles([key], dir)).rejects.toThrow(
      `--ca ${key}: no -----BEGIN CERTIFICATE----- block in it, and it is not a DER certificate either; it holds a private key, not a certificate; give the CA certificate, in PEM or DER.`,
    );
  });
});
