// The plan's client identity for an endpoint (PKCS#12 with its passphrase from the vault), ready for TLS.
import { X509Certificate } from "node:crypto";
import type { Endpoint } from "../../../shared/model/plan";
import type { Pkcs12Identity } from "../identity";
import { openPlanIdentity } from "../plan-store/identity-files";
import type { ProbeContext } from "./types";
import type { LoadedIdentity } from "../protocols/tls/tls-client";
import { parseCertificate, pemToDer } from "../x509";

export type { LoadedIdentity };

export async function loadClientIdentity(
  endpoint: Endpoint,
  context: Pick<ProbeContext, "plan" | "vault" | "planPath" | "clientIdentity">,
): Promise<LoadedIdentity> {
  if (context.clientIdentity !== undefined) return context.clientIdentity;
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
  const opened = await openPlanIdentity(
    identity,
    context.planPath,
    context.vault,
  );
  if ("problem" in opened) return opened;
  return presentable(opened.material);
}

/** A PKCS#12 identity as a TLS client presents it: its key, its certificate and chain, its subject. */
export function presentable(p12: Pkcs12Identity): LoadedIdentity {
  return {
    certificate: {
      key: p12.privateKey,
      certificatePems: [p12.certificatePem, ...p12.chainPems],
    },
    subject: new X509Certificate(p12.certificatePem).subject.replace(
      /\n/g,
      ", ",
    ),
    extendedKeyUsage: parseCertificate(pemToDer(p12.certificatePem))
      .extendedKeyUsage,
  };
}
