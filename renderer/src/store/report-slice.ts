// The certificate: its preview (number, plant verdict, who signs, what stops signing), the signed export
// (saved by main's dialog on the desktop, downloaded in browser mode) and, on the desktop, its folder.
import type { StateCreator } from "zustand";
import type {
  Api,
  PlanDocumentView,
  ReportExportResult,
  ReportPreview,
  SignerCa,
} from "../../../shared/contract/schemas";
import { messageOf } from "../lib/errors";
import type { AppState } from "./app-store";

/** Hands a browser-mode export to the user (a download). */
export type Deliver = (fileName: string, base64: string) => void;

export interface ReportSlice {
  report: {
    preview: ReportPreview | null;
    previewError: string | null;
    exporting: boolean;
    exported: ReportExportResult | null;
    exportError: string | null;
    revealError: string | null;
    /** The CAs the open plan's certificates were signed under (report:signer-cas); null until asked. */
    signerCas: SignerCa[] | null;
    signerCasError: string | null;
  };
  loadReportPreview: () => Promise<void>;
  exportCertificate: (identityId: string) => Promise<boolean>;
  /** Browser mode: the last export's PDF once more. */
  downloadAgain: () => void;
  revealCertificate: () => Promise<void>;
  /** Asks the engine for the signer CAs kept beside the open plan's certificates. */
  loadSignerCas: () => Promise<void>;
  /** Called by the plan slice with each document it takes: another plan (or none) starts with no report. */
  reportFollowPlan: (
    previous: PlanDocumentView | null,
    next: PlanDocumentView | null,
  ) => void;
}

const NO_REPORT: ReportSlice["report"] = {
  preview: null,
  previewError: null,
  exporting: false,
  exported: null,
  exportError: null,
  revealError: null,
  signerCas: null,
  signerCasError: null,
};

export const createReportSlice =
  (api: Api, deliver: Deliver): StateCreator<AppState, [], [], ReportSlice> =>
  (set, get) => {
    const patch = (changes: Partial<ReportSlice["report"]>): void =>
      set((state) => ({ report: { ...state.report, ...changes } }));
    return {
      report: NO_REPORT,
      async loadReportPreview() {
        try {
          patch({
            preview: await api["report:preview"](),
            previewError: null,
          });
        } catch (error) {
          patch({ previewError: messageOf(error) });
        }
      },
      async exportCertificate(identityId) {
        patch({ exporting: true, exportError: null, revealError: null });
        try {
          const result = await api["report:export"]({ identityId });
          get().receivePlan(result.document);
          patch({ exporting: false, exported: result });
          if (result.download !== null)
            deliver(result.download.fileName, result.download.base64);
          await get().loadReportPreview();
          return true;
        } catch (error) {
          patch({ exporting: false, exportError: messageOf(error) });
          return false;
        }
      },
      downloadAgain() {
        const download = get().report.exported?.download;
        if (download != null) deliver(download.fileName, download.base64);
      },
      reportFollowPlan(previous, next) {
        if (previous?.location === next?.location) return;
        // An export under way finishes into the state it started from; nothing else of the old plan is kept.
        const exporting = get().report.exporting;
        set({ report: { ...NO_REPORT, exporting } });
      },
      async loadSignerCas() {
        if (get().plan.document === null) {
          patch({ signerCas: null, signerCasError: null });
          return;
        }
        try {
          patch({
            signerCas: await api["report:signer-cas"](),
            signerCasError: null,
          });
        } catch (error) {
          patch({ signerCasError: messageOf(error) });
        }
      },
      async revealCertificate() {
        try {
          await api["report:reveal"]();
          patch({ revealError: null });
        } catch (error) {
          patch({ revealError: messageOf(error) });
        }
      },
    };
  };
