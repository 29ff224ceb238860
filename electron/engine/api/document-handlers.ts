// Handlers for documents: trust anchors and revocation lists in (trust-handlers.ts), identities in or made
// (identity-handlers.ts), and here the signed certificate previewed and issued, the CAs it was signed under, a
// certificate checked.
import {
  VERIFIED_SIGNER_FIELDS,
  summaryPart,
} from "../../../shared/evidence/certificate";
import type {
  IdentityView,
  SignerCa,
  VerifyReport,
} from "../../../shared/contract/documents";
import type { Handlers } from "../../../shared/contract/schemas";
import type { Plan } from "../../../shared/model/plan";
import { UserError } from "../errors";
import { readSource } from "../files";
import {
  addPlanFile,
  CERTIFICATE_FOLDER,
  readPlanFolderFile,
} from "../plan-store/plan-folder";
import {
  certificatePreview,
  issueCertificate,
  timeStampAuthorityOf,
} from "../report";
import { UnreadableDocumentError } from "../signing";
import type { CertificateVerifier } from "../signing/verifier";
import type { Logger } from "../log";
import { planDocumentView, requireDocument } from "./plan-handlers";
import {
  describeIdentity,
  engineerIdentityOf,
  identityHandlers,
  openIdentity,
  storedView,
  type IdentityServices,
} from "./identity-handlers";
import { certificatesIn, trustHandlers } from "./trust-handlers";

export interface DocumentServices extends IdentityServices {
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
    ...trustHandlers(services),
    ...identityHandlers(services),

    "report:preview": async () => {
      const plan = requireDocument(plans).plan;
      const now = new Date();
      const engineer = engineerIdentityOf(plan);
      const problems: string[] = [];
      let engineerView: IdentityView | null = null;
      if (engineer === undefined)
        problems.push("Import or create the engineer's signing identity.");
      else {
        const opened = await openIdentity(plans, vault, engineer);
        if ("problem" in opened) {
          problems.push(opened.problem);
          engineerView = storedView(engineer, [opened.problem]);
        } else {
          engineerView = await describeIdentity(engineer, opened.material);
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
      const opened = await openIdentity(plans, vault, identity);
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
}
