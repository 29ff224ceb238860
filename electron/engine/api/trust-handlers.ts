// Handlers for the plan's trust material: CA certificates (trust anchors) and revocation lists imported from
// files, each kept once however often it is imported.
import { shortName } from "../../../shared/evidence/distinguished-name";
import type { Handlers } from "../../../shared/contract/schemas";
import type { TrustAnchor, TrustCrl } from "../../../shared/model/plan";
import { uniqueSlug } from "../../../shared/model/slug";
import {
  CertificateParseError,
  certificateInfoFromDer,
  pemCertificatesOf,
  pemToDer,
  CrlReadError,
  crlPem,
  crlSummary,
  describeTrustAnchor,
  readCrlFile,
} from "../x509";
import { UserError } from "../errors";
import { readSource, type FilePlatform } from "../files";
import type { PlanStore } from "../plan-store/plan-store";
import type { PlanLocations } from "../plan-store/locations";
import { planDocumentView, requireDocument } from "./plan-handlers";

export interface TrustServices {
  plans: PlanStore;
  locations: PlanLocations;
  files: FilePlatform;
}

export function trustHandlers(
  services: TrustServices,
): Pick<Handlers, "anchor:import" | "crl:import"> {
  const { plans, locations, files } = services;
  const view = () => planDocumentView(requireDocument(plans), locations.mode);

  return {
    "anchor:import": async ({ source }) => {
      const chosen = await readSource(source, files, "trust anchor");
      if (chosen === null)
        return {
          document: view(),
          added: [],
          alreadyPresent: [],
          warnings: [],
        };
      const candidates = certificatesIn(chosen.bytes, chosen.fileName);
      const added: TrustAnchor[] = [];
      const alreadyPresent: string[] = [];
      const warnings: string[] = [];
      plans.mutate((plan) => {
        const taken = new Set(plan.trustAnchors.map((a) => a.id));
        for (const info of candidates) {
          if (
            plan.trustAnchors.some(
              (a) => a.fingerprintSha256 === info.fingerprintSha256,
            )
          ) {
            alreadyPresent.push(info.subject);
            continue;
          }
          const name = shortName(info.subject);
          const anchor: TrustAnchor = {
            id: uniqueSlug(name, "anchor", taken),
            name: name.slice(0, 200),
            pem: info.pem,
            subject: info.subject.slice(0, 1000),
            fingerprintSha256: info.fingerprintSha256,
          };
          taken.add(anchor.id);
          plan.trustAnchors.push(anchor);
          added.push(anchor);
          // Say plainly when the file is a leaf, not a CA (it then pins only itself).
          warnings.push(...describeTrustAnchor(pemToDer(info.pem)).warnings);
        }
      });
      return { document: view(), added, alreadyPresent, warnings };
    },

    "crl:import": async ({ source }) => {
      const chosen = await readSource(source, files, "revocation list");
      if (chosen === null)
        return { document: view(), added: [], alreadyPresent: [] };
      let crls;
      try {
        crls = readCrlFile(chosen.bytes, chosen.fileName);
      } catch (error) {
        if (error instanceof CrlReadError)
          throw new UserError("invalid-input", error.message, { cause: error });
        throw error;
      }
      const added: TrustCrl[] = [];
      const alreadyPresent: string[] = [];
      plans.mutate((plan) => {
        const taken = new Set(plan.crls.map((c) => c.id));
        for (const crl of crls) {
          const pem = crlPem(crl.der);
          if (plan.crls.some((c) => c.pem === pem)) {
            alreadyPresent.push(crl.issuer);
            continue;
          }
          const summary = crlSummary(crl);
          const name = `${shortName(crl.issuer)} CRL`;
          const entry: TrustCrl = {
            id: uniqueSlug(name, "crl", taken),
            name: name.slice(0, 200),
            pem,
            issuer: summary.issuer.slice(0, 1000),
            thisUpdate: summary.thisUpdate,
            nextUpdate: summary.nextUpdate,
            entries: summary.entries,
          };
          taken.add(entry.id);
          plan.crls.push(entry);
          added.push(entry);
        }
      });
      return { document: view(), added, alreadyPresent };
    },
  };
}

/** The certificates of a PEM file (one or a bundle) or a DER file, read as `--ca` reads them (pemCertificatesOf). */
export function certificatesIn(bytes: Uint8Array, fileName: string) {
  try {
    const pems = pemCertificatesOf(bytes);
    if (pems.length === 0)
      throw new CertificateParseError(
        "it is neither PEM nor one DER certificate.",
      );
    return pems.map((pem) => certificateInfoFromDer(pemToDer(pem)));
  } catch (error) {
    throw new UserError(
      "invalid-input",
      `${fileName} is not a certificate Cellcert can read (PEM or DER): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
