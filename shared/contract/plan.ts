// Contract payloads for plans and their secrets.
import { z } from "zod";
import { Plan } from "../model/plan";

export const PlanDocumentView = z.object({
  /** File name, for titles. */
  label: z.string(),
  /** Where the file is: a full path on the desktop, the workspace file name in browser mode. For display only. */
  location: z.string(),
  plan: Plan,
  revision: z.number().int().positive(),
  dirty: z.boolean(),
  savedAt: z.string().nullable(),
  saveError: z.string().nullable(),
  migratedFrom: z.number().int().nullable(),
  // ---- issue 15 ----
  /** What the engineer should look at before probing (shared/model/plan-warnings.ts), each with its field's pointer. */
  warnings: z.array(z.object({ pointer: z.string(), reason: z.string() })),
});
export type PlanDocumentView = z.infer<typeof PlanDocumentView>;

export const PlanOpenRequest = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("dialog") }),
  z.object({ kind: z.literal("workspace"), file: z.string().min(1).max(200) }),
  z.object({
    kind: z.literal("recent"),
    id: z.string().regex(/^[0-9a-f]{16}$/),
  }),
]);

export const PlanList = z.object({
  /** "desktop": plans live anywhere, chosen with dialogs; "workspace": plans live in the host's workspace folder. */
  mode: z.enum(["desktop", "workspace"]),
  recent: z.array(
    z.object({
      id: z.string(),
      plantName: z.string(),
      location: z.string(),
      openedAt: z.string(),
    }),
  ),
  workspace: z.array(
    z.object({
      file: z.string(),
      modifiedAt: z.string(),
      sizeBytes: z.number(),
    }),
  ),
});
export type PlanList = z.infer<typeof PlanList>;

export const SecretOwnerRef = z.object({
  kind: z.enum(["identity", "credential"]),
  id: z.string().min(1).max(64),
});

export const SecretStatus = z.array(
  z.object({
    owner: SecretOwnerRef.extend({ label: z.string() }),
    ref: z.string(),
    available: z.boolean(),
    /** How it is found when available; why not when it is not. */
    detail: z.string(),
  }),
);
export type SecretStatus = z.infer<typeof SecretStatus>;

export const SecretProvide = z.object({
  owner: SecretOwnerRef,
  secret: z.string().min(1).max(4096),
  /** Keep a `keychain:` secret in the desktop keychain (refused where it would be plain text). */
  remember: z.boolean().default(false),
});
