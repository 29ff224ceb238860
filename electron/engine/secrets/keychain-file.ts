// The desktop keychain: secrets encrypted by the operating system (Electron's safeStorage, handed in by main)
// and kept in one file in the app's data folder. Plain text never touches the disk.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "../plan-store/atomic-write";
import type { Keychain } from "./vault";

/** What main hands in: Electron's safeStorage, or a stand-in in tests. */
export interface Encryption {
  /** Null when the OS offers real encryption; else why not (e.g. Linux without a keyring: basic_text). */
  unavailableReason(): Promise<string | null>;
  encrypt(plain: string): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<string>;
}

const KeychainFile = z.object({ secrets: z.record(z.string(), z.string()) });

export function fileKeychain(file: string, encryption: Encryption): Keychain {
  const read = async (): Promise<Record<string, string>> => {
    try {
      const parsed = KeychainFile.safeParse(
        JSON.parse(await readFile(file, "utf8")),
      );
      return parsed.success ? parsed.data.secrets : {};
    } catch {
      return {};
    }
  };
  return {
    unavailableReason: () => encryption.unavailableReason(),
    async get(id) {
      if ((await encryption.unavailableReason()) !== null) return null;
      const sealed = (await read())[id];
      if (sealed === undefined) return null;
      try {
        return await encryption.decrypt(Buffer.from(sealed, "base64"));
      } catch {
        return null; // sealed by another user or machine: ask again
      }
    },
    async set(id, secret) {
      const reason = await encryption.unavailableReason();
      if (reason !== null) throw new Error(reason);
      const secrets = await read();
      secrets[id] = (await encryption.encrypt(secret)).toString("base64");
      await writeFileAtomic(file, `${JSON.stringify({ secrets }, null, 2)}\n`);
    },
  };
}
