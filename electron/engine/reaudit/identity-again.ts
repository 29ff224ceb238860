// An identity imported again for a re-audit plan (issue 20): the endpoints that used it in the earlier
// certificate use it again, and it is said when the file is not the identity that certificate recorded.
import type { IdentityToImport, Plan } from "../../../shared/model/plan";
import { linkImportedIdentity } from "../../../shared/reaudit/to-do";
import { UserError } from "../errors";

/** The entry of identitiesToImport an import is made for, checked before anything is added. */
export function identityToImport(
  plan: Plan,
  toImportId: string,
  role: IdentityToImport["role"],
): IdentityToImport {
  const entry = plan.previousCertificate?.identitiesToImport.find(
    (i) => i.id === toImportId,
  );
  if (entry === undefined)
    throw new UserError(
      "not-found",
      `The plan lists no identity "${toImportId}" to import again.`,
    );
  if (role !== entry.role)
    throw new UserError(
      "invalid-input",
      `"${entry.name}" was a ${entry.role} identity; import it as one.`,
    );
  return entry;
}

/** The plan with the endpoints that waited for `entry` using the imported identity, and what to say about it. */
export function linkIdentityImportedAgain(
  plan: Plan,
  entry: IdentityToImport,
  identity: { id: string; fingerprintSha256: string },
): { endpoints: Plan["endpoints"]; warnings: string[] } {
  const number = plan.previousCertificate?.number ?? "";
  const warnings =
    entry.fingerprintSha256 !== "" &&
    entry.fingerprintSha256 !== identity.fingerprintSha256
      ? [
          `This is not the identity certificate ${number} recorded for "${entry.name}" (SHA-256 ${entry.fingerprintSha256}): it is used all the same, and the checks will show whether the server accepts it.`,
        ]
      : [];
  return {
    endpoints: linkImportedIdentity(plan, entry.id, identity.id).endpoints,
    warnings,
  };
}
