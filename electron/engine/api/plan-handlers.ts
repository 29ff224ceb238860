// Handlers for plans and their secrets.
import type {
  PlanDocumentView,
  SecretStatus,
} from "../../../shared/contract/plan";
import type { Handlers } from "../../../shared/contract/schemas";
import type { Plan } from "../../../shared/model/plan";
import { planWarnings } from "../../../shared/model/plan-warnings";
import { UserError } from "../errors";
import type { PlanDocument, PlanStore } from "../plan-store/plan-store";
import { planLabel, type PlanLocations } from "../plan-store/locations";
import type { RecentPlans } from "../plan-store/recent-plans";
import type { SecretOwner, SecretVault } from "../secrets/vault";

export interface PlanServices {
  plans: PlanStore;
  locations: PlanLocations;
  recent: RecentPlans;
  vault: SecretVault;
}

type PlanChannels =
  | "plan:new"
  | "plan:open"
  | "plan:current"
  | "plan:update"
  | "plan:save"
  | "plan:save-as"
  | "plan:close"
  | "plan:list"
  | "secret:status"
  | "secret:provide";

export function planHandlers({
  plans,
  locations,
  recent,
  vault,
}: PlanServices): Pick<Handlers, PlanChannels> {
  const view = (document: PlanDocument | null): PlanDocumentView | null =>
    document === null ? null : planDocumentView(document, locations.mode);
  return {
    "plan:new": async ({ plantName }) => view(await plans.create(plantName)),
    "plan:open": async (request) =>
      view(
        request.kind === "recent"
          ? await plans.openRecent(request.id)
          : await plans.open(request),
      ),
    "plan:current": () => Promise.resolve(view(plans.current())),
    "plan:update": ({ plan, baseRevision }) =>
      Promise.resolve(
        planDocumentView(plans.update(plan, baseRevision), locations.mode),
      ),
    "plan:save": async () =>
      planDocumentView(await plans.save(), locations.mode),
    "plan:save-as": async ({ plantName }) =>
      view(
        await plans.saveAs(
          plantName === undefined ? {} : { suggestedName: plantName },
        ),
      ),
    "plan:close": async () => {
      await plans.close();
      return null;
    },
    "plan:list": async () => ({
      mode: locations.mode,
      recent: (await recent.list()).map((entry) => ({
        id: entry.id,
        plantName: entry.plantName,
        location:
          locations.mode === "workspace" ? planLabel(entry.path) : entry.path,
        openedAt: entry.openedAt,
      })),
      workspace: await locations.listWorkspace(),
    }),
    "secret:status": async () => {
      const plan = plans.current()?.plan;
      if (plan === undefined) return [];
      const status: SecretStatus = [];
      for (const { owner, ref } of secretsOf(plan)) {
        const availability = await vault.availability(owner, ref);
        status.push({
          owner,
          ref,
          available: availability.available,
          detail: availability.available
            ? `from the ${availability.source}`
            : availability.problem,
        });
      }
      return status;
    },
    "secret:provide": async ({ owner, secret, remember }) => {
      const plan = plans.current()?.plan;
      const known =
        plan === undefined
          ? undefined
          : secretsOf(plan).find(
              (s) => s.owner.kind === owner.kind && s.owner.id === owner.id,
            );
      if (known === undefined)
        throw new UserError(
          "not-found",
          `The open plan has no ${owner.kind} "${owner.id}".`,
        );
      await vault.provide(known.owner, known.ref, secret, remember);
      return null;
    },
  };
}

export function planDocumentView(
  document: PlanDocument,
  mode: PlanLocations["mode"],
): PlanDocumentView {
  return {
    label: planLabel(document.path),
    location: mode === "workspace" ? planLabel(document.path) : document.path,
    plan: document.plan,
    revision: document.revision,
    dirty: document.dirty,
    savedAt: document.savedAt,
    saveError: document.saveError,
    migratedFrom: document.migratedFrom,
    warnings: planWarnings(document.plan),
  };
}

/** The open plan, or the sentence that asks for one. */
export function requireDocument(plans: PlanStore): PlanDocument {
  const document = plans.current();
  if (document === null) throw new UserError("not-found", "Open a plan first.");
  return document;
}

/** Every secret the plan refers to, with whose it is. */
export function secretsOf(
  plan: Plan,
): { owner: SecretOwner; ref: Plan["credentials"][number]["password"] }[] {
  return [
    ...plan.identities.map((identity) => ({
      owner: {
        kind: "identity" as const,
        id: identity.id,
        label: `the ${identity.role} identity "${identity.name}"`,
      },
      ref: identity.passphrase,
    })),
    ...plan.credentials.map((credential) => ({
      owner: {
        kind: "credential" as const,
        id: credential.id,
        label: `the SQL credential "${credential.name}"`,
      },
      ref: credential.password,
    })),
  ];
}
