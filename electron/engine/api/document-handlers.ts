// Handlers for documents: trust anchors in, identities in or made, the signed certificate out, and a
// certificate checked. Identity files are kept beside the plan (identities/), their passphrases in the vault.
import {
  VERIFIED_SIGNER_FIELDS,
  summaryPart,
} from "../../../shared/evidence/certificate";
import { shortName } from "../../../shared/evidence/distinguished-name";
import type {
  IdentityView,
  SignerCa,
  VerifyReport,
} from "../../../shared/contract/documents";
import type { Handlers } from "../../../shared/contract/schemas";
import type {
  Identity,
  Plan,
  TrustAnchor,
  TrustCrl,
} from "../../../shared/model/plan";
import { uniqueSlug } from "../../../shared/model/slug";
import {
  certificateInfoFromDer,
  derToPem,
  pemToDer,
  splitPemCertificates,
  CrlReadError,
  crlPem,
  crlSummary,
  describeTrustAnchor,
  readCrlFile,
} from "../x509";
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
import {
  addIdentityFiles,
  addPlanFile,
  CERTIFICATE_FOLDER,
  readPlanFolderFile,
} from "../plan-store/plan-folder";
import type { PlanStore } from "../plan-store/plan-store";
import type { PlanLocations } from "../plan-store/locations";
import {
  certificatePreview,
  issueCertificate,
  timeStampAuthorityOf,
} from "../report";
import type { SecretVault } from "../secrets/vault";
import { UnreadableDocumentError } from "../signing";
import type { CertificateVerifier } from "../signing/verifier";
import type { Logger } from "../log";
import { planDocumentView } from "./plan-handlers";
import {
  identityToImport,
  linkIdentityImportedAgain,
} from "../reaudit/identity-again";

export interface DocumentServices {
  plans: PlanStore;
  locations: PlanLocations;
  vault: SecretVault;
  files: FilePlatform;
  /** Runs `verify` on an uploaded or chosen document; off the event loop in browser mode and the desktop app. */
  verifier: CertificateVerifier;
  log: Logger;
  /** The running practice plant's TSA, which time-stamps practice certificates in this session; none by default. */
  practiceTimestampAuthority?: () => string | null;
}

type DocumentChannels =
  | "anchor:import"
  | "crl:import"
  | "identity:import"
  | "identity:create"
  | "identity:describe"
  | "report:preview"
  | "report:export"
  | "report:verify"
  | "report:reveal"
  | "report:signer-cas";

/** A CA certificate in PEM is a few kilobytes. */
const MAX_CA_PEM_BYTES = 64 * 1024;

export function documentHandlers(
  services: DocumentServices,
): Pick<Handlers, DocumentChannels> {
  const { plans, locations, vault, files, verifier, log } = services;
  // The plan's TSA, or for a practice plan the practice plant's of this session (the saved plan names none).
  const timeStampAuthority = (plan: Plan) =>
    timeStampAuthorityOf(plan, {
      practiceSession: services.practiceTimestampAuthority?.() ?? null,
    });
  let lastExport: string | null = null;
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
      const opened = await openIdentity(identity);
      return "problem" in opened
        ? storedView(identity, [opened.problem])
        : await describe(identity, opened.material);
    },

    "report:preview": async () => {
      const plan = requireDocument(plans).plan;
      const now = new Date();
      const engineer = engineerIdentityOf(plan);
      const problems: string[] = [];
      let engineerView: IdentityView | null = null;
      if (engineer === undefined)
        problems.push("Import or create the engineer's signing identity.");
      else {
        const opened = await openIdentity(engineer);
        if ("problem" in opened) {
          problems.push(opened.problem);
          engineerView = storedView(engineer, [opened.problem]);
        } else {
          engineerView = await describe(engineer, opened.material);
          problems.push(...engineerView.problems);
        }
      }
      const authority = timeStampAuthority(plan);
      return {
        ...certificatePreview(plan, now, engineerView?.subject ?? ""),
        engineerIdentity: engineerView,
        problems,
        timeStampAuthority:
          authority === null
            ? null
            : {
                ...authority,
                session: plan.policy.timestampAuthority === undefined,
              },
      };
    },

    "report:export": async ({ identityId }) => {
      const document = requireDocument(plans);
      const plan = document.plan;
      const identity = plan.identities.find(
        (i) => i.id === identityId && i.role === "engineer",
      );
      if (identity === undefined)
        throw new UserError(
          "not-found",
          `The plan has no engineer identity "${identityId}".`,
        );
      const opened = await openIdentity(identity);
      if ("problem" in opened)
        throw new UserError("unavailable", opened.problem);
      // A TSA that fails throws its sentence here: nothing is delivered, nothing recorded.
      const issued = await issueCertificate(plan, opened.material, {
        timeStampAuthority: timeStampAuthority(plan),
        planPath: document.path,
      });
      const fileName = plan.practice
        ? `practice-certificate-${issued.number}.pdf`
        : `${issued.number}.pdf`;
      const delivery = await files.deliver(fileName, issued.pdf);
      if (delivery === null)
        throw new UserError("cancelled", "The certificate was not saved.");
      // The plan keeps its own copy in certificates/, beside the CA it was signed under (DESIGN §11), so it
      // verifies after the engineer's identity is renewed. Names already taken get a number, never overwritten.
      const planPath = requireDocument(plans).path;
      const pdfFile = await addPlanFile(
        planPath,
        CERTIFICATE_FOLDER,
        fileName,
        issued.pdf,
      );
      const signerCaFile =
        issued.signerCaPem === null
          ? undefined
          : await addPlanFile(
              planPath,
              CERTIFICATE_FOLDER,
              `${issued.number}-signer-ca.pem`,
              issued.signerCaPem,
            );
      plans.mutate((draft) => {
        draft.certificates.push({
          ...issued.record,
          pdfFile,
          ...(signerCaFile !== undefined && { signerCaFile }),
        });
        draft.signOff.identityFingerprint = issued.record.signerFingerprint;
      });
      await plans.save();
      if ("savedTo" in delivery) lastExport = delivery.savedTo;
      return {
        number: issued.number,
        plantVerdict: issued.plantVerdict,
        fileName,
        savedTo: "savedTo" in delivery ? delivery.savedTo : null,
        download: "download" in delivery ? delivery.download : null,
        warnings: [
          ...issued.warnings,
          ...(issued.signerCaPem === null
            ? [
                "The signing identity does not carry the CA that issued it, so no copy of that CA is kept beside the certificate: keep the CA certificate yourself to verify it later.",
              ]
            : []),
        ],
        document: view(),
        timeStamp:
          issued.timeStamp === null
            ? null
            : {
                time: issued.timeStamp.genTime.toISOString(),
                url: issued.timeStamp.authority.url,
                practice: issued.timeStamp.authority.practice,
                tsaName: issued.timeStamp.tsaName,
              },
      };
    },

    "report:signer-cas": async () => {
      const document = requireDocument(plans);
      const found = new Map<string, SignerCa>();
      for (const certificate of document.plan.certificates) {
        if (certificate.signerCaFile === undefined) continue;
        let pem: string;
        try {
          pem = (
            await readPlanFolderFile(document.path, certificate.signerCaFile, {
              maxBytes: MAX_CA_PEM_BYTES,
              what: "CA certificate",
            })
          ).toString("utf8");
        } catch (error) {
          if (error instanceof UserError) continue; // moved away or damaged: not offered
          throw error;
        }
        const [info] = certificatesIn(
          Buffer.from(pem),
          certificate.signerCaFile,
        );
        if (info === undefined) continue;
        const known = found.get(info.fingerprintSha256);
        if (known !== undefined) known.certificates.push(certificate.number);
        else
          found.set(info.fingerprintSha256, {
            subject: info.subject,
            fingerprintSha256: info.fingerprintSha256,
            notAfter: info.notAfter,
            file: certificate.signerCaFile,
            pem: info.pem,
            certificates: [certificate.number],
          });
      }
      return [...found.values()];
    },

    "report:verify": async ({ source, caPems }) => {
      const chosen = await readSource(source, files, "certificate");
      if (chosen === null)
        throw new UserError("cancelled", "No certificate was chosen.");
      log.info(
        `Checking ${chosen.fileName} (${(chosen.bytes.length / 1024).toFixed(0)} KiB).`,
      );
      try {
        const result = await verifier(chosen.bytes, {
          caPems,
          fileName: chosen.fileName,
        });
        const report: VerifyReport = {
          fileName: chosen.fileName,
          status: result.status,
          intact: result.intact,
          valid: result.valid,
          checks: result.checks,
          signer:
            result.signer === null
              ? null
              : summaryPart(result.signer, VERIFIED_SIGNER_FIELDS),
          signingTime: result.signingTime,
          certificateNumber: result.certificateNumber,
          plantVerdict: result.plantVerdict,
          practice: result.practice,
          trusted: result.trusted,
          appendedBytes: result.appendedBytes,
          timeStamp: result.timeStamp,
          judgedAt: result.judgedAt,
          validationData: result.validationData,
        };
        return report;
      } catch (error) {
        if (error instanceof UnreadableDocumentError)
          throw new UserError("invalid-input", error.message);
        throw error;
      }
    },

    "report:reveal": async () => {
      if (lastExport === null)
        throw new UserError(
          "not-found",
          "No certificate has been exported in this session.",
        );
      await files.reveal(lastExport);
      return null;
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
    const described = await describe(identity, options.material);
    if (rememberProblem !== null) described.problems.push(rememberProblem);
    return { document: view(), identity: described, caPem: options.caPem };
  }

  function openIdentity(
    identity: Identity,
  ): Promise<{ material: IdentityMaterial } | { problem: string }> {
    return openPlanIdentity(identity, requireDocument(plans).path, vault);
  }
}

function requireDocument(plans: PlanStore) {
  const document = plans.current();
  if (document === null) throw new UserError("not-found", "Open a plan first.");
  return document;
}

function engineerIdentityOf(plan: Plan): Identity | undefined {
  const engineers = plan.identities.filter((i) => i.role === "engineer");
  const named = plan.signOff.identityFingerprint;
  return (
    engineers.find((i) => named !== "" && i.fingerprintSha256 === named) ??
    engineers[0]
  );
}

/** The identity as the UI shows it, with what keeps it from its role. */
async function describe(
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
function storedView(identity: Identity, problems: string[]): IdentityView {
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

/** The certificates of a PEM file (one or a bundle) or a DER file. */
export function certificatesIn(bytes: Uint8Array, fileName: string) {
  const text = Buffer.from(bytes).toString("utf8");
  const pems = text.includes("-----BEGIN CERTIFICATE-----")
    ? splitPemCertificates(text)
    : [derToPem(bytes)];
  try {
    return pems.map((pem) => certificateInfoFromDer(pemToDer(pem)));
  } catch (error) {
    throw new UserError(
      "invalid-input",
      `${fileName} is not a certificate Cellcert can read (PEM or DER): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
