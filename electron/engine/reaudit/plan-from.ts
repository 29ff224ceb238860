// A re-audit plan made from a certificate's signed evidence (`cellcert new --from`, "Re-audit from a certificate"):
// plant, site, cells and networks, boundaries and scope, endpoints (retired ones left out), vantages, policy, trust
// anchors, and the CRLs where the evidence holds them. Never runs, secrets, waivers or attestations: each audit
// measures, waives and attests anew. What is to be done again is listed in previousCertificate: the client
// identities to import again (their endpoints carry no clientIdentityId until then, so the plan validates), the
// attestations to make again, and a note for everything left out.
import {
  Boundary,
  Cell,
  Endpoint,
  Plan,
  PLAN_SCHEMA_VERSION,
  PlantData,
  Policy,
  TrustAnchor,
  TrustCrl,
  Vantage,
  type IdentityToImport,
  type PlanInput,
  type PreviousCertificate,
} from "../../../shared/model/plan";
import { describeProblem, problemsOf } from "../../../shared/model/parse-plan";
import type { z } from "zod";
import { UserError } from "../errors";
import type { CheckedCertificate } from "./open-certificate";

export interface ReauditFiles {
  /** The copies kept in the plan's certificates/ folder, relative to the plan's folder. */
  pdfFile?: string;
  evidenceFile?: string;
}

export interface ReauditPlan {
  plan: Plan;
  /** Also in plan.previousCertificate.notes: what was left out or is to be done again, as sentences. */
  notes: string[];
}

export function reauditPlan(
  checked: CheckedCertificate,
  files: ReauditFiles = {},
): ReauditPlan {
  const { evidence } = checked;
  const parts = evidence.plan;
  const certificate = `certificate ${evidence.number}`;
  const notes: string[] = [];
  const read = <S extends z.ZodType>(
    items: readonly unknown[],
    schema: S,
    what: string,
  ): z.output<S>[] =>
    items.flatMap((item, index) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) return [parsed.data];
      notes.push(
        `The ${what} at position ${index + 1} of ${certificate} could not be read (${problemsOf(parsed.error).map(describeProblem).join("; ")}) and is left out.`,
      );
      return [];
    });

  const plantRead = PlantData.safeParse(parts.plant);
  if (!plantRead.success)
    throw new UserError(
      "invalid-input",
      `The plant data of ${certificate} cannot be read (${problemsOf(plantRead.error).map(describeProblem).join("; ")}): no plan can be made from it.`,
    );
  const plant = plantRead.data;
  const cells = read(parts.cells, Cell, "cell");
  const cellIds = new Set(cells.map((c) => c.id));
  const boundaries = read(parts.boundaries, Boundary, "boundary").filter(
    (boundary) => {
      const missing = [boundary.from, boundary.to].find((c) => !cellIds.has(c));
      if (missing !== undefined)
        notes.push(
          `Boundary ${boundary.id} is left out: its cell "${missing}" could not be read.`,
        );
      return missing === undefined;
    },
  );
  const vantages = read(parts.vantages, Vantage, "vantage").filter((vantage) =>
    cellIds.has(vantage.cell),
  );
  const trustAnchors = read(parts.trustAnchors, TrustAnchor, "trust anchor");
  const anchorIds = new Set(trustAnchors.map((a) => a.id));
  const crls =
    parts.crls === null ? [] : read(parts.crls, TrustCrl, "revocation list");
  if (parts.crls === null)
    notes.push(
      `The evidence of ${certificate} (${evidence.schema}) does not hold the plan's revocation lists: import the plant's CRLs again beside the trust anchors, if it publishes any.`,
    );

  const clientIdentities = new Map(
    parts.identities.filter((i) => i.role === "client").map((i) => [i.id, i]),
  );
  const toImport = new Map<string, IdentityToImport>();
  const endpoints: PlanInput["endpoints"] = [];
  for (const endpoint of read(parts.endpoints, Endpoint, "endpoint")) {
    if (endpoint.retired === true) {
      notes.push(
        `Endpoint "${endpoint.name}" (${endpoint.id}) was retired in ${certificate} and is left out.`,
      );
      continue;
    }
    if (!cellIds.has(endpoint.cell)) {
      notes.push(
        `Endpoint "${endpoint.name}" (${endpoint.id}) is left out: its cell "${endpoint.cell}" could not be read.`,
      );
      continue;
    }
    const { retired: _retired, clientIdentityId, ...rest } = endpoint;
    const identity =
      clientIdentityId === undefined
        ? undefined
        : clientIdentities.get(clientIdentityId);
    if (clientIdentityId !== undefined) {
      const entry = toImport.get(clientIdentityId) ?? {
        id: clientIdentityId,
        role: "client" as const,
        name: identity?.name ?? clientIdentityId,
        subject: identity?.subject ?? "",
        fingerprintSha256: identity?.fingerprintSha256 ?? "",
        ...(identity?.notAfter != null && { notAfter: identity.notAfter }),
        endpointIds: [],
      };
      entry.endpointIds.push(endpoint.id);
      toImport.set(clientIdentityId, entry);
    }
    endpoints.push({
      ...rest,
      trustAnchorIds: rest.trustAnchorIds.filter((id) => anchorIds.has(id)),
    });
  }
  for (const identity of toImport.values())
    notes.push(
      `The client identity "${identity.name}" (${identity.subject || "subject not recorded"}) is known by name only: import its PKCS#12 file again; until then ${identity.endpointIds.join(", ")} ${identity.endpointIds.length === 1 ? "has" : "have"} no client identity.`,
    );
  if (parts.identities.some((i) => i.role === "engineer"))
    notes.push(
      "The engineer's signing identity is not carried over: whoever signs this audit imports or creates their own at sign-off.",
    );

  const kept = new Set(endpoints.map((e) => e.id));
  const credentialIds = new Set<string>();
  for (const endpoint of endpoints)
    if (endpoint.credentialId !== undefined)
      credentialIds.add(endpoint.credentialId);
  const credentials = parts.credentials
    .filter((c) => credentialIds.has(c.id))
    .map((c) => ({
      id: c.id,
      name: c.name,
      user: c.user,
      password: "prompt" as const,
    }));
  for (const credential of credentials)
    notes.push(
      `The SQL credential "${credential.name}" (login ${credential.user}) comes without its password: Cellcert asks for it when the checks run, or set where it is found under Credentials.`,
    );

  const policy = Policy.safeParse(parts.policy);
  if (!policy.success)
    notes.push(
      `The policy of ${certificate} could not be read (${problemsOf(policy.error).map(describeProblem).join("; ")}): the plan starts from the default policy.`,
    );

  const attestationsToRenew = parts.attestations
    .filter((a) => !a.contradicted && kept.has(a.endpointId))
    .map((a) => ({
      checkId: a.checkId,
      endpointId: a.endpointId,
      previous: { statement: a.statement, name: a.name, date: a.date },
    }));
  if (attestationsToRenew.length > 0)
    notes.push(
      `${attestationsToRenew.length} check${attestationsToRenew.length === 1 ? " was" : "s were"} attested in ${certificate}: each audit attests anew, so ${attestationsToRenew.length === 1 ? "it is" : "they are"} listed to be attested again.`,
    );
  if (parts.waivers > 0)
    notes.push(
      `The ${parts.waivers} waiver${parts.waivers === 1 ? "" : "s"} of ${certificate} ${parts.waivers === 1 ? "is" : "are"} not carried over: each audit waives anew, where still needed.`,
    );

  const previousCertificate: PreviousCertificate = {
    number: evidence.number,
    issuedAt: evidence.issuedAt,
    plantVerdict: evidence.plantVerdict,
    pdfSha256: checked.pdfSha256,
    evidenceSha256: checked.evidenceSha256,
    evidenceSchema: evidence.schema,
    rulesetVersion: evidence.rulesetVersion,
    signer: {
      subject: evidence.signer.subject.slice(0, 1000),
      fingerprintSha256: evidence.signer.fingerprintSha256.slice(0, 200),
    },
    verified: checked.status,
    ...files,
    identitiesToImport: [...toImport.values()],
    attestationsToRenew,
    notes: notes.map((n) => n.slice(0, 2000)).slice(0, 500),
  };
  const candidate: PlanInput = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    practice: parts.practice,
    plant: {
      name: plant.name,
      site: plant.site,
      customer: plant.customer,
      orderNumber: plant.orderNumber,
      notes: plant.notes,
    },
    cells,
    boundaries,
    endpoints,
    vantages,
    trustAnchors,
    crls,
    credentials,
    ...(policy.success && { policy: policy.data }),
    previousCertificate,
    // Opens on the overview: what changed since the certificate, and what is to be done again.
    wizard: { position: "overview" },
  };
  const parsed = Plan.safeParse(candidate);
  if (!parsed.success)
    throw new Error(
      `The re-audit plan made from ${certificate} does not validate: ${problemsOf(parsed.error).map(describeProblem).join("; ")}`,
    );
  return { plan: parsed.data, notes };
}
