// Trust anchors and identities: imported from PEM/DER and PKCS#12, or the engineer's identity created.
// Each answer carries the plan as the engine now holds it, handed to the plan slice.
import type { StateCreator } from "zustand";
import type {
  Api,
  FileSource,
  IdentityView,
  Input,
  PlanDocumentView,
} from "../../../shared/contract/schemas";
import { messageOf } from "../lib/errors";
import type { AppState } from "./app-store";

export interface DocumentsSlice {
  documents: {
    busy: "anchor" | "crl" | "identity" | null;
    anchorError: string | null;
    /** What the last anchor import did, in a sentence. */
    anchorNotice: string | null;
    /** What the last anchor import should make the engineer aware of (a leaf that only pins itself…). */
    anchorWarning: string | null;
    crlError: string | null;
    crlNotice: string | null;
    identityError: string | null;
    identityNotice: string | null;
    /** The commissioning CA made with the last engineer identity: its PEM goes to the customer. */
    caPem: string | null;
    /** The identity `caPem` was made with: removing it takes the hand-over away. */
    caFor: string | null;
    /** Identities as the engine described them (validity, fingerprint, problems), by id. */
    described: Record<string, IdentityView>;
  };
  importAnchor: (source: FileSource) => Promise<boolean>;
  importCrl: (source: FileSource) => Promise<boolean>;
  importIdentity: (request: Input<"identity:import">) => Promise<boolean>;
  createIdentity: (request: Input<"identity:create">) => Promise<boolean>;
  describeIdentity: (id: string) => Promise<void>;
  dismissDocumentNotices: () => void;
  /**
   * Called by the plan slice with each document it takes. Another plan (or none) starts with no notices; a trust
   * anchor or identity removed takes the notices about it along.
   */
  documentsFollowPlan: (
    previous: PlanDocumentView | null,
    next: PlanDocumentView | null,
  ) => void;
}

const NO_DOCUMENTS: DocumentsSlice["documents"] = {
  busy: null,
  anchorError: null,
  anchorNotice: null,
  anchorWarning: null,
  crlError: null,
  crlNotice: null,
  identityError: null,
  identityNotice: null,
  caPem: null,
  caFor: null,
  described: {},
};

/** Whether some id of `before` is missing from `after`. */
const lostAny = (
  before: readonly { id: string }[],
  after: readonly { id: string }[],
): boolean => {
  const kept = new Set(after.map((item) => item.id));
  return before.some((item) => !kept.has(item.id));
};

export const createDocumentsSlice =
  (api: Api): StateCreator<AppState, [], [], DocumentsSlice> =>
  (set, get) => {
    const patch = (changes: Partial<DocumentsSlice["documents"]>): void =>
      set((state) => ({ documents: { ...state.documents, ...changes } }));
    const remember = (identity: IdentityView): void =>
      set((state) => ({
        documents: {
          ...state.documents,
          described: { ...state.documents.described, [identity.id]: identity },
        },
      }));
    return {
      documents: NO_DOCUMENTS,
      async importAnchor(source) {
        patch({
          busy: "anchor",
          anchorError: null,
          anchorNotice: null,
          anchorWarning: null,
        });
        try {
          const result = await api["anchor:import"]({ source });
          get().receivePlan(result.document);
          patch({
            busy: null,
            anchorNotice: anchorNotice(
              result.added.map((a) => a.subject),
              result.alreadyPresent,
            ),
            anchorWarning:
              result.warnings.length === 0 ? null : result.warnings.join(" "),
          });
          return result.added.length > 0;
        } catch (error) {
          patch({ busy: null, anchorError: messageOf(error) });
          return false;
        }
      },
      async importCrl(source) {
        patch({ busy: "crl", crlError: null, crlNotice: null });
        try {
          const result = await api["crl:import"]({ source });
          get().receivePlan(result.document);
          const parts: string[] = [];
          if (result.added.length > 0)
            parts.push(
              `Added the CRL${result.added.length === 1 ? "" : "s"} of ${result.added.map((c) => c.issuer).join("; ")}.`,
            );
          if (result.alreadyPresent.length > 0)
            parts.push(
              `Already in the plan: the CRL of ${result.alreadyPresent.join("; ")}.`,
            );
          patch({ busy: null, crlNotice: parts.join(" ") });
          return result.added.length > 0;
        } catch (error) {
          patch({ busy: null, crlError: messageOf(error) });
          return false;
        }
      },
      async importIdentity(request) {
        patch({ busy: "identity", identityError: null, identityNotice: null });
        try {
          const result = await api["identity:import"](request);
          get().receivePlan(result.document);
          remember(result.identity);
          patch({
            busy: null,
            identityNotice: [
              `Imported ${result.identity.subject}.`,
              ...result.identity.warnings,
            ].join(" "),
          });
          await get().loadSecrets();
          return true;
        } catch (error) {
          patch({ busy: null, identityError: messageOf(error) });
          return false;
        }
      },
      async createIdentity(request) {
        patch({
          busy: "identity",
          identityError: null,
          identityNotice: null,
          caPem: null,
          caFor: null,
        });
        try {
          const result = await api["identity:create"](request);
          get().receivePlan(result.document);
          remember(result.identity);
          patch({
            busy: null,
            caPem: result.caPem,
            caFor: result.caPem === null ? null : result.identity.id,
            identityNotice: `Created ${result.identity.subject}.`,
          });
          await get().loadSecrets();
          return true;
        } catch (error) {
          patch({ busy: null, identityError: messageOf(error) });
          return false;
        }
      },
      async describeIdentity(id) {
        try {
          remember(await api["identity:describe"]({ id }));
        } catch (error) {
          patch({ identityError: messageOf(error) });
        }
      },
      documentsFollowPlan(previous, next) {
        const held = get().documents;
        if (previous?.location !== next?.location) {
          if (held !== NO_DOCUMENTS)
            set({ documents: { ...NO_DOCUMENTS, busy: held.busy } });
          return;
        }
        if (previous === null || next === null) return;
        const before = previous.plan;
        const after = next.plan;
        const identityIds = new Set(after.identities.map((i) => i.id));
        const anchorGone = lostAny(before.trustAnchors, after.trustAnchors);
        const identityGone = lostAny(before.identities, after.identities);
        const crlGone = lostAny(before.crls, after.crls);
        if (!anchorGone && !identityGone && !crlGone) return;
        patch({
          ...(anchorGone && {
            anchorNotice: null,
            anchorError: null,
            anchorWarning: null,
          }),
          ...(crlGone && { crlNotice: null, crlError: null }),
          ...(identityGone && {
            identityNotice: null,
            identityError: null,
            described: Object.fromEntries(
              Object.entries(held.described).filter(([id]) =>
                identityIds.has(id),
              ),
            ),
            ...(held.caFor !== null &&
              !identityIds.has(held.caFor) && { caPem: null, caFor: null }),
          }),
        });
      },
      dismissDocumentNotices() {
        patch({
          anchorError: null,
          anchorNotice: null,
          anchorWarning: null,
          crlError: null,
          crlNotice: null,
          identityError: null,
          identityNotice: null,
        });
      },
    };
  };

/** "Added CN=Plant CA. Already in the plan: CN=Old CA." */
export function anchorNotice(
  added: readonly string[],
  alreadyPresent: readonly string[],
): string {
  const parts: string[] = [];
  if (added.length > 0) parts.push(`Added ${added.join("; ")}.`);
  if (alreadyPresent.length > 0)
    parts.push(`Already in the plan: ${alreadyPresent.join("; ")}.`);
  return parts.length === 0
    ? "The file held no certificate to add."
    : parts.join(" ");
}
