// "Verify a certificate": a signed PDF checked by the engine, with the commissioning CAs it should chain to.
import type { StateCreator } from "zustand";
import type {
  Api,
  FileSource,
  VerifyReport,
} from "../../../shared/contract/schemas";
import { inAppWords } from "../lib/engine-words";
import type { Look } from "../lib/verdict-look";
import { messageOf } from "../lib/errors";
import type { AppState } from "./app-store";

export interface VerifySlice {
  verify: {
    checking: boolean;
    result: VerifyReport | null;
    error: string | null;
    /** Commissioning CA certificates (PEM) to check the signer against, with the files they came from. */
    cas: { fileName: string; pem: string }[];
    /** The uploaded document last checked, so adding the CA its answer asks for checks it again. */
    source: Extract<FileSource, { kind: "upload" }> | null;
  };
  verifyCertificate: (source: FileSource) => Promise<void>;
  /** Adds the commissioning CA the answer asked for and checks the same document again (when it was uploaded). */
  checkSignerWith: (fileName: string, pem: string) => Promise<void>;
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
      verify: {
        checking: false,
        result: null,
        error: null,
        cas: [],
        source: null,
      },
      async verifyCertificate(source) {
        patch({
          checking: true,
          error: null,
          result: null,
          source: source.kind === "upload" ? source : null,
        });
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
      async checkSignerWith(fileName, pem) {
        const { source } = get().verify;
        get().addVerifyCa(fileName, pem);
        if (source !== null) await get().verifyCertificate(source);
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

/** The three answers of `verify` (DESIGN §2) as the screen shows them: a word, a symbol and a tone, never colour
 * alone; an intact document whose signer was not checked is never shown as valid. */
export const VERIFY_LOOKS: Record<VerifyReport["status"], Look> = {
  valid: { word: "Valid", symbol: "check", tone: "pass" },
  "signer-not-checked": {
    word: "Intact, signer NOT checked",
    symbol: "alert",
    tone: "warn",
  },
  invalid: { word: "Not valid", symbol: "cross", tone: "fail" },
};

/** The outcome in one line, beginning with the answer's word: "Valid: …", "Intact, signer NOT checked: …",
 * "Not valid: " and what failed. */
export function verifyHeadline(report: VerifyReport): string {
  const word = VERIFY_LOOKS[report.status].word;
  switch (report.status) {
    case "valid":
      return `${word}: intact, and signed under the commissioning CA given`;
    case "signer-not-checked":
      return `${word}: unchanged since signing, but who signed it was not checked`;
    case "invalid": {
      const failed = report.checks.find((c) => c.outcome === "fail");
      return `${word}${failed === undefined ? "" : `: ${inAppWords(failed.message)}`}`;
    }
  }
}
