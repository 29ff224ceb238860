// Handlers for re-audits (issue 20): a new plan from an earlier certificate, verified first, and what changed
// since that certificate for the plan that is open.
import type { Handlers } from "../../../shared/contract/schemas";
import { TOOL_VERSION } from "../about";
import { UserError } from "../errors";
import { readSource, type FilePlatform } from "../files";
import type { Logger } from "../log";
import { planFileName, type PlanLocations } from "../plan-store/locations";
import type { PlanStore } from "../plan-store/plan-store";
import {
  openCertificate,
  verificationSentence,
  writeReauditPlan,
} from "../reaudit";
import type { CertificateVerifier } from "../signing/verifier";
import { planDocumentView } from "./plan-handlers";

export interface ReauditServices {
  plans: PlanStore;
  locations: PlanLocations;
  files: FilePlatform;
  verifier: CertificateVerifier;
  log: Logger;
}

export function reauditHandlers({
  plans,
  locations,
  files,
  verifier,
  log,
}: ReauditServices): Pick<Handlers, "plan:reaudit" | "plan:changes"> {
  return {
    "plan:reaudit": async ({ source, caPems }) => {
      const chosen = await readSource(source, files, "certificate");
      if (chosen === null) return null;
      log.info(`Starting a re-audit from ${chosen.fileName}.`);
      const checked = await openCertificate(chosen.bytes, {
        fileName: chosen.fileName,
        caPems,
        verifier,
      });
      const plantName = checked.evidence.record.side.plantName;
      const path = await locations.chooseNewLocation(
        planFileName(`${plantName} re-audit`),
      );
      if (path === null) return null;
      const made = await writeReauditPlan(path, checked, { exclusive: false });
      const document = await plans.open({ kind: "path", path });
      if (document === null)
        throw new UserError("not-found", "The new plan could not be opened.");
      return {
        document: planDocumentView(document, locations.mode),
        verification: {
          status: checked.status,
          certificateNumber: checked.evidence.number,
          plantVerdict: checked.evidence.plantVerdict,
          signer: checked.verification.signer,
          sentence: verificationSentence(
            checked,
            "give the commissioning CA's certificate when you start the re-audit",
          ),
        },
        notes: made.notes,
      };
    },
    "plan:changes": async () => {
      const document = plans.current();
      if (document === null || document.plan.previousCertificate === undefined)
        return null;
      const { planChanges } = await import("../reaudit/changes-since");
      return planChanges(document.plan, document.path, {
        toolVersion: TOOL_VERSION,
      });
    },
  };
}
