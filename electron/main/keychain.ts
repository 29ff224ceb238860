// The OS encryption behind `keychain:` secrets: Electron's safeStorage, refused where it would be plain text.
import { safeStorage } from "electron";
import type { Encryption } from "../engine/secrets/keychain-file";

export const safeStorageEncryption: Encryption = {
  async unavailableReason() {
    if (!(await safeStorage.isAsyncEncryptionAvailable()))
      return "this system offers no encryption for stored secrets";
    if (
      process.platform === "linux" &&
      safeStorage.getSelectedStorageBackend() === "basic_text"
    ) {
      return "no system keyring is running, so it would be stored as plain text";
    }
    return null;
  },
  encrypt: (plain) => safeStorage.encryptStringAsync(plain),
  decrypt: async (sealed) =>
    (await safeStorage.decryptStringAsync(sealed)).result,
};
