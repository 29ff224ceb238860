// `cellcert new --from CERT.pdf --out PLAN.cellcert.json [--ca F]… [--crl F]…` (DESIGN §8, issue 20): a re-audit
// plan from an earlier certificate. The certificate is verified first: intact with the signer not checked (no
// --ca) is accepted and said; modified, invalid or unreadable is refused, exit 2. The plan (schema 3) is made from
// its signed evidence — never its runs, secrets, waivers or attestations — with previousCertificate recorded and
// what is to be done again listed; a copy of the certificate and its evidence go into certificates/ beside it.
import { stat } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { PLAN_FILE_SUFFIX } from "../../../shared/model/plan";
import { reauditToDo } from "../../../shared/reaudit/to-do";
import { UserError } from "../../engine/errors";
import { verificationSentence, writeReauditPlan } from "../../engine/reaudit";
import { ExitCode } from "../exit-codes";
import { readCaFiles, readCrlFiles } from "../input-files";
import type { CliIo } from "../io";
import { readCertificateFile, type TrustOptions } from "./reaudit-input";

export interface NewFromOptions extends TrustOptions {
  from: string;
  out: string;
}

export async function newFromCommand(
  options: NewFromOptions,
  io: CliIo,
): Promise<ExitCode> {
  const out = resolve(io.cwd, options.out);
  const shown = (path: string): string => relative(io.cwd, path) || path;
  try {
    if (!out.endsWith(PLAN_FILE_SUFFIX))
      throw new UserError(
        "invalid-input",
        `--out ${options.out}: a plan's file name ends in ${PLAN_FILE_SUFFIX}, like plant-2027${PLAN_FILE_SUFFIX}.`,
      );
    if (await fileExists(out))
      throw new UserError(
        "conflict",
        `--out ${options.out} already exists: Cellcert never writes over a plan; give another name.`,
      );
    const caPems = await readCaFiles(
      options.ca,
      io.cwd,
      "the commissioning CA's certificate",
    );
    const crlPems = await readCrlFiles(options.crl ?? [], io.cwd);
    const checked = await readCertificateFile(options.from, io.cwd, {
      caPems,
      crlPems,
    });
    io.stdout(
      verificationSentence(
        checked,
        `give the commissioning CA's certificate: cellcert new --from ${options.from} --out ${options.out} --ca COMMISSIONING-CA.pem`,
      ),
    );
    const { plan, notes } = await writeReauditPlan(out, checked, {
      exclusive: true,
    });
    const live = plan.endpoints.length;
    io.stdout(
      `Re-audit plan written to ${shown(out)} (schema ${plan.schemaVersion}): "${plan.plant.name}", ${plan.cells.length} cells, ${plan.boundaries.length} boundaries, ${live} endpoint${live === 1 ? "" : "s"}, ${plan.vantages.length} vantages, ${plan.trustAnchors.length} trust anchor${plan.trustAnchors.length === 1 ? "" : "s"}; certificate ${checked.evidence.number} (${checked.evidence.plantVerdict}) recorded as its previous certificate, with a copy in certificates/.`,
    );
    const toDo = reauditToDo(plan);
    if (toDo.identities.length + toDo.attestations.length > 0) {
      io.stdout("To do again before this audit is judged like the last one:");
      for (const identity of toDo.identities)
        io.stdout(
          `  IMPORT  ${identity.id}  the client identity "${identity.name}" (${identity.subject || "subject not recorded"}), for ${identity.waitingEndpointIds.join(", ")}`,
        );
      for (const attestation of toDo.attestations)
        io.stdout(
          `  ATTEST  ${attestation.checkId}  ${attestation.endpointId}`,
        );
    }
    if (notes.length > 0) {
      io.stdout("Notes:");
      for (const note of notes) io.stdout(`  - ${note}`);
    }
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(error.message);
      return ExitCode.unjudged;
    }
    throw error;
  }
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
