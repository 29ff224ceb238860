// The plan's identities (client identities for mTLS, the engineer's signing identity): what each is, whether
// its passphrase is at hand, and adding one.
import type { ReactNode } from "react";
import type { Plan } from "../../../../shared/model/plan";
import { Problem } from "../../components/Field";
import {
  CommissioningCaHandover,
  CreateIdentityForm,
  ImportIdentityForm,
} from "../../components/IdentityForms";
import { MissingSecrets } from "../../components/SecretPrompt";
import { secretRefWords } from "../../components/SecretRefField";
import { formatTime } from "../../components/EvidenceView";
import { useAppStore } from "../../store/context";
import { removeIdentity } from "../../store/plan-edits";

export function IdentitiesSection({ plan }: { plan: Plan }): ReactNode {
  const editPlan = useAppStore((state) => state.editPlan);
  const described = useAppStore((state) => state.documents.described);
  const describeIdentity = useAppStore((state) => state.describeIdentity);
  const planError = useAppStore((state) => state.plan.error);
  return (
    <section aria-labelledby="identities-title" className="form-section">
      <h2 id="identities-title">Identities</h2>
      <p className="muted">
        PKCS#12 files kept beside the plan. Their passphrases never go into the
        plan.
      </p>
      {plan.identities.length === 0 ? (
        <p className="muted">No identity yet.</p>
      ) : (
        <ul className="plain-list">
          {plan.identities.map((identity) => {
            const view = described[identity.id];
            const used = plan.endpoints.filter(
              (e) => e.clientIdentityId === identity.id,
            );
            return (
              <li key={identity.id} className="card">
                <h3>
                  {identity.name}{" "}
                  <span className="muted">
                    (
                    {identity.role === "engineer"
                      ? "engineer's signing identity"
                      : "client identity"}
                    )
                  </span>
                </h3>
                <dl className="facts">
                  <div>
                    <dt>Subject</dt>
                    <dd>{identity.subject || "—"}</dd>
                  </div>
                  <div>
                    <dt>SHA-256 fingerprint</dt>
                    <dd>
                      <code>{identity.fingerprintSha256 || "—"}</code>
                    </dd>
                  </div>
                  {identity.notAfter !== undefined && (
                    <div>
                      <dt>Valid until</dt>
                      <dd>{formatTime(identity.notAfter)}</dd>
                    </div>
                  )}
                  <div>
                    <dt>File</dt>
                    <dd>{identity.file}</dd>
                  </div>
                  <div>
                    <dt>Passphrase</dt>
                    <dd>{secretRefWords(identity.passphrase)}</dd>
                  </div>
                  {view !== undefined && (
                    <div>
                      <dt>Checked</dt>
                      <dd>
                        {view.problems.length === 0
                          ? `Fit for its role; issued by ${view.issuer}.`
                          : view.problems.join(" ")}
                      </dd>
                    </div>
                  )}
                </dl>
                <div className="actions">
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => void describeIdentity(identity.id)}
                  >
                    Check {identity.name}
                  </button>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => void editPlan(removeIdentity(identity.id))}
                  >
                    Remove {identity.name}
                    {used.length > 0
                      ? ` (used by ${used.length} endpoint${used.length === 1 ? "" : "s"})`
                      : ""}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <Problem text={planError} />
      <MissingSecrets owners={plan.identities.map((i) => `identity:${i.id}`)} />
      <ImportIdentityForm defaultRole="client" />
      <CreateIdentityForm
        defaultName={plan.signOff.engineer}
        defaultCompany={plan.signOff.company}
      />
      <CommissioningCaHandover />
    </section>
  );
}
