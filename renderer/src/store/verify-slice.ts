// "Verify a certificate": a signed PDF checked by the engine, with the commissioning CAs it should chain to.
import type { StateCreator } from "zustand";
import type {
  Api,
  FileSource,
  VerifyReport,
} from "../../../shared/contract/schemas";
import { inAppWords } from "../lib/engine-words";
import { messageOf } from "../lib/errors";
import type { AppState } from "./app-store";

export interface VerifySlice {
  verify: {
    checking: boolean;
    result: VerifyReport | null;
    error: string | null;
    /** Commissioning CA certificates (PEM) to check the signer against, with the files they came from. */
    cas: { fileName: string; pem: string }[];
  };
  verifyCertificate: (source: FileSource) => Promise<void>;
  addVerifyCa: (fileName: string, pem: string) => void;
  removeVerifyCa: (fileName: string) => void;
  clearVerification: () => void;
}

export const createVerifySlice =
  (api: Api): StateCreator<AppState, [], [], VerifySlice> =>
  (set, get) => {
    const patch = (changes: Partial<VerifySlice["verify"]>): void =>
      set((state) => ({ verify: { ...state.verify, ...changes } }));
    return {
      verify: { checking: false, result: null, error: null, cas: [] },
      async verifyCertificate(source) {
        patch({ checking: true, error: null, result: null });
        try {
          const result = await api["report:verify"]({
            source,
            caPems: get().verify.cas.map((ca) => ca.pem),
          });
          patch({ checking: false, result });
        } catch (error) {
          patch({ checking: false, error: messageOf(error) });
        }
      },
      // A result was judged against the CAs given then: another set of CAs makes it stale, so it goes.
      addVerifyCa(fileName, pem) {
        const cas = get().verify.cas.filter((ca) => ca.fileName !== fileName);
        patch({ cas: [...cas, { fileName, pem }], result: null, error: null });
      },
      removeVerifyCa(fileName) {
        patch({
          cas: get().verify.cas.filter((ca) => ca.fileName !== fileName),
          result: null,
          error: null,
        });
      },
      clearVerification() {
        patch({ result: null, error: null });
      },
    };
  };

/** The outcome in one line: "Valid: signed by …" or what failed. */
export function verifyHeadline(report: VerifyReport): string {
  if (!report.valid) {
    const failed = report.checks.find((c) => c.outcome === "fail");
    return `Not valid${failed === undefined ? "" : `: ${inAppWords(failed.message)}`}`;
  }
  return report.trusted === false
    ? "Valid signature, but the signer is not from the commissioning CAs given"
    : "Valid: the certificate is intact and signed";
}
