// Re-audit (issue 20): a new plan started from an earlier certificate — verified first, with the commissioning CAs
// given — and, for a plan started so, what changed since that certificate (the overview shows it).
import type { StateCreator } from "zustand";
import type {
  Api,
  FileSource,
  PlanReauditResult,
} from "../../../shared/contract/schemas";
import type { PlanChanges } from "../../../shared/reaudit/changes";
import { messageOf } from "../lib/errors";
import type { AppState } from "./app-store";

export interface ReauditSlice {
  reaudit: {
    starting: boolean;
    error: string | null;
    /** Commissioning CA certificates (PEM) to check who signed the certificate, with their files. */
    cas: { fileName: string; pem: string }[];
    /** How the certificate verified and what was left out, for the plan it made (its location). */
    started:
      | (PlanReauditResult["verification"] & {
          notes: string[];
          location: string;
        })
      | null;
    /** What changed since the certificate, for the plan at `changesFor` (its location and revision). */
    changes: PlanChanges | null;
    changesFor: string | null;
    changesError: string | null;
  };
  /** Verifies the certificate and opens the plan made from it; false when refused or cancelled. */
  startReaudit: (source: FileSource) => Promise<boolean>;
  addReauditCa: (fileName: string, pem: string) => void;
  removeReauditCa: (fileName: string) => void;
  /** Asks the engine what changed since the open plan's certificate (again when the plan changed). */
  loadChanges: () => Promise<void>;
}

export const createReauditSlice =
  (api: Api): StateCreator<AppState, [], [], ReauditSlice> =>
  (set, get) => {
    const patch = (changes: Partial<ReauditSlice["reaudit"]>): void =>
      set((state) => ({ reaudit: { ...state.reaudit, ...changes } }));
    return {
      reaudit: {
        starting: false,
        error: null,
        cas: [],
        started: null,
        changes: null,
        changesFor: null,
        changesError: null,
      },
      async startReaudit(source) {
        patch({ starting: true, error: null });
        try {
          const result = await api["plan:reaudit"]({
            source,
            caPems: get().reaudit.cas.map((ca) => ca.pem),
          });
          if (result === null) {
            patch({ starting: false });
            return false;
          }
          patch({
            starting: false,
            started: {
              ...result.verification,
              notes: result.notes,
              location: result.document.location,
            },
            changes: null,
            changesFor: null,
          });
          get().receivePlan(result.document);
          return true;
        } catch (error) {
          patch({ starting: false, error: messageOf(error) });
          return false;
        }
      },
      addReauditCa(fileName, pem) {
        const cas = get().reaudit.cas.filter((ca) => ca.fileName !== fileName);
        patch({ cas: [...cas, { fileName, pem }], error: null });
      },
      removeReauditCa(fileName) {
        patch({
          cas: get().reaudit.cas.filter((ca) => ca.fileName !== fileName),
        });
      },
      async loadChanges() {
        const document = get().plan.document;
        if (document === null) return;
        const key = `${document.location}#${String(document.revision)}`;
        try {
          const changes = await api["plan:changes"]();
          if (get().plan.document?.location !== document.location) return;
          patch({ changes, changesFor: key, changesError: null });
        } catch (error) {
          patch({ changesError: messageOf(error), changesFor: key });
        }
      },
    };
  };
