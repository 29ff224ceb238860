// The mssql family for the runner: one plan endpoint of kind mssql → the SQL Server probe, its evidence and the
// APP-DB outcomes of the checks the run asked for. The SQL credential's password comes from the vault.
import type { Endpoint } from "../../../shared/model/plan";
import { formatHostPort } from "../../../shared/model/net";
import { namedInstance, type RunTarget } from "../../../shared/run-plan";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import { UserError } from "../errors";
import { judgeAppDb } from "../rules/app-db";
import {
  evidenceDraft,
  probeOptionsOf,
  type FamilyProbe,
  type ProbeContext,
} from "./types";
import { probeMssql } from "../protocols/tds/probe";

type Credentials =
  { user: string; password: string } | { problem: string } | null;

async function credentialsOf(
  endpoint: Endpoint,
  context: Pick<ProbeContext, "plan" | "vault">,
): Promise<Credentials> {
  if (endpoint.credentialId === undefined) return null;
  const credential = context.plan.credentials.find(
    (c) => c.id === endpoint.credentialId,
  );
  if (credential === undefined) {
    return {
      problem: `The plan has no SQL credential "${endpoint.credentialId}".`,
    };
  }
  try {
    const password = await context.vault.resolve(
      {
        kind: "credential",
        id: credential.id,
        label: `the SQL credential "${credential.name}"`,
      },
      credential.password,
    );
    return { user: credential.user, password };
  } catch (error) {
    if (error instanceof UserError) return { problem: error.message };
    throw error;
  }
}

export const mssqlFamily: FamilyProbe = async (
  target: RunTarget,
  context: ProbeContext,
) => {
  const { endpoint } = target;
  const policy = context.plan.policy;
  const anchorsPem = context.anchorsPem(endpoint);
  const credentials = await credentialsOf(endpoint, context);
  const given =
    credentials !== null && "user" in credentials ? credentials : undefined;
  const startedAt = context.now();
  const instance = namedInstance(endpoint);
  const evidence = await probeMssql(
    {
      host: endpoint.host,
      ...(endpoint.port !== undefined && { port: endpoint.port }),
      ...(instance !== null && { instance }),
      ...(endpoint.serverName !== "" && { serverName: endpoint.serverName }),
    },
    {
      anchorsPem,
      publicRoots: endpoint.publicRoots,
      ...probeOptionsOf(context),
      ...(given !== undefined && { credentials: given }),
      ...(endpoint.appLogin !== undefined && { appLogin: endpoint.appLogin }),
    },
  );
  const judged = await judgeAppDb(evidence, {
    anchorsPem,
    crls: context.crls(),
    requireRevocation: policy.requireRevocation,
    publicRoots: endpoint.publicRoots,
    headroomDays: policy.headroomDays,
    minimumTlsVersion: policy.minimumTlsVersion,
    credentialsGiven: given !== undefined,
    now: context.now(),
  });
  // A credential the plan names but whose secret is missing: say that, not just "no credentials".
  const problem =
    credentials !== null && "problem" in credentials
      ? credentials.problem
      : null;
  // The runner keeps the outcomes of the target's checks and records any it does not get as not judged.
  const outcomes: CheckOutcome[] = judged.map((o) =>
    problem !== null && o.reason === "no credentials"
      ? { ...o, reason: "no credentials", message: problem }
      : o,
  );
  return {
    evidence: [
      evidenceDraft(
        "mssql",
        evidence.target.port === null
          ? `${endpoint.host}\\${instance ?? "MSSQLSERVER"}`
          : formatHostPort(endpoint.host, evidence.target.port),
        startedAt,
        evidence,
        { finished: context.now() },
      ),
    ],
    outcomes,
  };
};
