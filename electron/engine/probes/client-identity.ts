// The plan's client identity for an endpoint (PKCS#12 with its passphrase from the vault), ready for TLS.
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Endpoint } from "../../../shared/model/plan";
import { UserError } from "../errors";
import { readPkcs12 } from "../identity";
import type { ProbeContext } from "../runner/types";
import type { ClientCertificate } from "./tls-client";

export type LoadedIdentity =
  { certificate: ClientCertificate; subject: string } | { problem: string };

export async function loadClientIdentity(
  endpoint: Endpoint,
  context: Pick<ProbeContext, "plan" | "vault" | "resolvePlanPath">,
): Promise<LoadedIdentity> {
  if (endpoint.clientIdentityId === undefined) {
    return {
      problem: `"${endpoint.name}" has no client identity in the plan; import the perimeter's PKCS#12 and select it.`,
    };
  }
  const identity = context.plan.identities.find(
    (i) => i.id === endpoint.clientIdentityId,
  );
  if (identity === undefined)
    return {
      problem: `The plan has no identity "${endpoint.clientIdentityId}".`,
    };
  const path = context.resolvePlanPath(identity.file);
  try {
    const passphrase = await context.vault.resolve(
      {
        kind: "identity",
        id: identity.id,
        label: `the client identity "${identity.name}"`,
      },
      identity.passphrase,
    );
    const bytes = await readFile(path);
    const p12 = readPkcs12(bytes, passphrase, { fileName: basename(path) });
    const subject = new X509Certificate(p12.certificatePem).subject.replace(
      /\n/g,
      ", ",
    );
    return {
      certificate: {
        key: p12.privateKey,
        certificatePems: [p12.certificatePem, ...p12.chainPems],
      },
      subject,
    };
  } catch (error) {
    if (error instanceof UserError) return { problem: error.message };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      return { problem: `The client identity file ${path} is missing.` };
    return {
      problem: `The client identity ${basename(path)} cannot be used: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
