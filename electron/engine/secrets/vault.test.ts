import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileKeychain, type Encryption } from "./keychain-file";
import { SecretVault, type SecretOwner } from "./vault";

const owner: SecretOwner = {
  kind: "credential",
  id: "mes-app",
  label: 'the SQL credential "MES application"',
};
const key = randomBytes(32);

/** A stand-in for Electron's safeStorage: real encryption, or the plain-text fallback it must refuse. */
function encryption(unavailable: string | null): Encryption {
  return {
    unavailableReason: () => Promise.resolve(unavailable),
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([
        cipher.update(plain, "utf8"),
        cipher.final(),
      ]);
      return Promise.resolve(Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    decrypt(sealed) {
      const decipher = createDecipheriv(
        "aes-256-gcm",
        key,
        sealed.subarray(0, 12),
      );
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Promise.resolve(
        Buffer.concat([
          decipher.update(sealed.subarray(28)),
          decipher.final(),
        ]).toString("utf8"),
      );
    },
  };
}

describe("the secret vault", () => {
  it("reads env: references from the environment and says which variable is missing", async () => {
    const vault = new SecretVault({ env: { SQL_PASSWORD: "from-env" } });
    expect(await vault.resolve(owner, "env:SQL_PASSWORD")).toBe("from-env");
    await expect(vault.resolve(owner, "env:NOPE")).rejects.toThrow(
      'The secret of the SQL credential "MES application" is read from the environment variable NOPE, which is not set.',
    );
    // Set but empty is said as such, with the same rule as `cellcert probe`'s --passphrase-env.
    const empty = new SecretVault({ env: { SQL_PASSWORD: "" } });
    await expect(empty.resolve(owner, "env:SQL_PASSWORD")).rejects.toThrow(
      "environment variable SQL_PASSWORD, which is set but empty; Cellcert takes no empty secret.",
    );
    expect(await empty.availability(owner, "env:SQL_PASSWORD")).toEqual({
      available: false,
      problem: "the environment variable SQL_PASSWORD is empty",
    });
  });

  it("keeps typed secrets for the session, per owner", async () => {
    const vault = new SecretVault({ env: {} });
    await expect(vault.resolve(owner, "prompt")).rejects.toThrow(
      /has not been entered/,
    );
    await vault.provide(owner, "prompt", "typed");
    expect(await vault.resolve(owner, "prompt")).toBe("typed");
    expect(
      await vault.availability({ ...owner, id: "other" }, "prompt"),
    ).toEqual({ available: false, problem: "not entered yet" });
    vault.forget(owner);
    expect((await vault.availability(owner, "prompt")).available).toBe(false);
  });

  it("asks on the terminal where the CLI can, once", async () => {
    const questions: string[] = [];
    const vault = new SecretVault({
      env: {},
      ask: (question) => {
        questions.push(question);
        return Promise.resolve("answered");
      },
    });
    expect(await vault.resolve(owner, "prompt")).toBe("answered");
    expect(await vault.resolve(owner, "prompt")).toBe("answered");
    expect(questions).toEqual([
      'Secret of the SQL credential "MES application": ',
    ]);
  });

  it("remembers keychain: secrets encrypted, never in plain text", async () => {
    const file = join(
      mkdtempSync(join(tmpdir(), "cellcert-keychain-")),
      "keychain.json",
    );
    const vault = new SecretVault({
      env: {},
      keychain: fileKeychain(file, encryption(null)),
    });
    await vault.provide(owner, "keychain:mes-app", "Sommer-2026-Łódź", true);
    expect(readFileSync(file, "utf8")).not.toContain("Sommer-2026");
    const later = new SecretVault({
      env: {},
      keychain: fileKeychain(file, encryption(null)),
    });
    expect(await later.availability(owner, "keychain:mes-app")).toEqual({
      available: true,
      source: "keychain",
    });
    expect(await later.resolve(owner, "keychain:mes-app")).toBe(
      "Sommer-2026-Łódź",
    );
  });

  it("refuses to remember where the OS would store plain text (Linux basic_text), keeping it for the session", async () => {
    const file = join(
      mkdtempSync(join(tmpdir(), "cellcert-keychain-")),
      "keychain.json",
    );
    const reason =
      "no system keyring is running, so it would be stored as plain text";
    const vault = new SecretVault({
      env: {},
      keychain: fileKeychain(file, encryption(reason)),
    });
    await expect(
      vault.provide(owner, "keychain:mes-app", "Sommer-2026", true),
    ).rejects.toThrow(
      `Cellcert will not remember the secret of the SQL credential "MES application": ${reason}. It is kept until this plan is closed.`,
    );
    expect(await vault.resolve(owner, "keychain:mes-app")).toBe("Sommer-2026");
    expect(() => readFileSync(file)).toThrow();
  });
});
