// Handlers for identities: an engineer's or a client's PKCS#12 imported (again, for a re-audit), an engineer
// identity made (with a commissioning CA), one described. The files are kept beside the plan (identities/),
// their passphrases in the vault; the certificate handlers open and describe the engineer's through here too.
import type { IdentityView } from "../../../shared/contract/documents";
import type { Handlers } from "../../../shared/contract/schemas";
import type { Identity, Plan } from "../../../shared/model/plan";
import { uniqueSlug } from "../../../shared/model/slug";
import { UserError } from "../errors";
import { readSource, type FilePlatform } from "../files";
import {
  checkSigningIdentity,
  judgeIdentity,
  createCommissioningCa,
  createEngineerIdentity,
  identityInfo,
  readPkcs12,
  writePkcs12,
  type IdentityMaterial,
} from "../identity";
import { openPlanIdentity } from "../plan-store/identity-files";
import { addIdentityFiles } from "../plan-store/plan-folder";
import type { PlanStore } from "../plan-store/plan-store";
import type { PlanLocations } from "../plan-store/locations";
import type { SecretVault } from "../secrets/vault";
import { planDocumentView, requireDocument } from "./plan-handlers";
import {
  identityToImport,
  linkIdentityImportedAgain,
} from "../reaudit/identity-again";

export interface IdentityServices {
  plans: PlanStore;
  locations: PlanLocations;
  vault: SecretVault;
  files: FilePlatform;
}

export function identityHandlers(
  services: IdentityServices,
): Pick<Handlers, "identity:import" | "identity:create" | "identity:describe"> {
  const { plans, locations, vault, files } = services;
  const view = () => planDocumentView(requireDocument(plans), locations.mode);

  return {
    "identity:import": async ({
      role,
      name,
      source,
      passphraseRef,
      passphrase,
      remember,
      replaces,
    }) => {
      // Imported again for a re-audit (issue 20): checked before anything is added.
      const again =
        replaces === undefined
          ? null
          : identityToImport(requireDocument(plans).plan, replaces, role);
      const chosen = await readSource(source, files, "identity");
      if (chosen === null)
        throw new UserError("cancelled", "No identity file was chosen.");
      const material = readPkcs12(chosen.bytes, passphrase, {
        fileName: chosen.fileName,
      });
      if (role === "engineer") await checkSigningIdentity(material);
      const added = await addIdentity({
        role,
        name,
        bytes: chosen.bytes,
        material,
        passphraseRef,
        passphrase,
        remember,
        caPem: null,
      });
      if (again === null) return added;
      const linked = linkIdentityImportedAgain(
        requireDocument(plans).plan,
        again,
        added.identity,
      );
      plans.mutate((draft) => {
        draft.endpoints = linked.endpoints;
      });
      return {
        ...added,
        identity: {
          ...added.identity,
          warnings: [...added.identity.warnings, ...linked.warnings],
        },
        document: view(),
      };
    },

    "identity:create": async (request) => {
      const now = new Date();
      const ca = request.withCommissioningCa
        ? await createCommissioningCa({
            company: request.company,
            ...(request.country !== undefined && { country: request.country }),
            now,
          })
        : null;
      const material = await createEngineerIdentity({
        name: request.name,
        company: request.company,
        ...(request.email !== undefined && { email: request.email }),
        ...(request.country !== undefined && { country: request.country }),
        validityDays: request.validityDays,
        now,
        ...(ca !== null && { issuer: ca }),
      });
      const bytes = writePkcs12(material, request.passphrase, {
        friendlyName: request.name,
      });
      return addIdentity({
        role: "engineer",
        name: request.name,
        bytes,
        material,
        passphraseRef: request.passphraseRef,
        passphrase: request.passphrase,
        remember: request.remember,
        caPem: ca?.certificatePem ?? null,
      });
    },

    "identity:describe": async ({ id }) => {
      const plan = requireDocument(plans).plan;
      const identity = plan.identities.find((i) => i.id === id);
      if (identity === undefined)
        throw new UserError("not-found", `The plan has no identity "${id}".`);
      const opened = await openIdentity(plans, vault, identity);
      return "problem" in opened
        ? storedView(identity, [opened.problem])
        : await describeIdentity(identity, opened.material);
    },
  };

  async function addIdentity(options: {
    role: Identity["role"];
    name: string;
    bytes: Uint8Array;
    material: IdentityMaterial;
    passphraseRef: Identity["passphrase"];
    passphrase: string;
    remember: boolean;
    caPem: string | null;
  }) {
    const document = requireDocument(plans);
    const taken = new Set(document.plan.identities.map((i) => i.id));
    const id = uniqueSlug(options.name, options.role, taken);
    // Never over a file already there (another plan's in a shared folder, a leftover): the name gets a number,
    // the same for the PKCS#12 file and the commissioning CA made with it, so the two stay paired by name.
    const file = await addIdentityFiles(
      document.path,
      id,
      options.bytes,
      options.caPem,
    );
    const info = identityInfo(options.material);
    const identity: Identity = {
      id,
      role: options.role,
      name: options.name,
      file,
      passphrase: options.passphraseRef,
      subject: info.subject.slice(0, 1000),
      fingerprintSha256: info.fingerprintSha256,
      notAfter: info.notAfter,
    };
    plans.mutate((plan) => {
      plan.identities.push(identity);
      if (
        identity.role === "engineer" &&
        plan.signOff.identityFingerprint === ""
      ) {
        plan.signOff.identityFingerprint = info.fingerprintSha256;
      }
    });
    const owner = {
      kind: "identity" as const,
      id,
      label: `the ${options.role} identity "${options.name}"`,
    };
    let rememberProblem: string | null = null;
    try {
      await vault.provide(
        owner,
        options.passphraseRef,
        options.passphrase,
        options.remember,
      );
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      rememberProblem = error.message; // kept for the session; say why it is not remembered
    }
    const described = await describeIdentity(identity, options.material);
    if (rememberProblem !== null) described.problems.push(rememberProblem);
    return { document: view(), identity: described, caPem: options.caPem };
  }
}

/** Opens an identity of the open plan: its file beside the plan, its passphrase from the vault. */
export function openIdentity(
  plans: PlanStore,
  vault: SecretVault,
  identity: Identity,
): Promise<{ material: IdentityMaterial } | { problem: string }> {
  return openPlanIdentity(identity, requireDocument(plans).path, vault);
}

export function engineerIdentityOf(plan: Plan): Identity | undefined {
  const engineers = plan.identities.filter((i) => i.role === "engineer");
  const named = plan.signOff.identityFingerprint;
  return (
    engineers.find((i) => named !== "" && i.fingerprintSha256 === named) ??
    engineers[0]
  );
}

/** The identity as the UI shows it, with what keeps it from its role. */
export async function describeIdentity(
  identity: Identity,
  material: IdentityMaterial,
): Promise<IdentityView> {
  const { info, problems, warnings } = await judgeIdentity(
    material,
    identity.role,
  );
  return {
    id: identity.id,
    role: identity.role,
    name: identity.name,
    subject: info.subject,
    issuer: info.issuer,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    fingerprintSha256: info.fingerprintSha256,
    keyType: `${info.keyType.toUpperCase()} ${info.keyBits}`,
    keyUsage: info.keyUsage,
    extendedKeyUsage: info.extendedKeyUsage,
    selfSigned: info.selfSigned,
    problems,
    warnings,
  };
}

/** What the plan remembers of an identity whose file cannot be opened now. */
export function storedView(
  identity: Identity,
  problems: string[],
): IdentityView {
  return {
    id: identity.id,
    role: identity.role,
    name: identity.name,
    subject: identity.subject,
    issuer: "",
    notBefore: "",
    notAfter: identity.notAfter ?? "",
    fingerprintSha256: identity.fingerprintSha256,
    keyType: "",
    keyUsage: [],
    extendedKeyUsage: [],
    selfSigned: false,
    problems,
    warnings: [],
  };
}
