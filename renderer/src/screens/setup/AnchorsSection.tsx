// Trust anchors: the CA certificates endpoint chains must validate to, imported from PEM or DER files.
import type { ReactNode } from "react";
import type { Plan } from "../../../../shared/model/plan";
import { FilePicker } from "../../components/FilePicker";
import { Notice, Problem } from "../../components/Field";
import { uploadSource } from "../../lib/files";
import { useAppStore } from "../../store/context";
import { removeTrustAnchor } from "../../store/plan-edits";

export function AnchorsSection({ plan }: { plan: Plan }): ReactNode {
  const desktop = useAppStore((state) => state.about.info?.mode === "desktop");
  const documents = useAppStore((state) => state.documents);
  const importAnchor = useAppStore((state) => state.importAnchor);
  const editPlan = useAppStore((state) => state.editPlan);
  return (
    <section aria-labelledby="anchors-title" className="form-section">
      <h2 id="anchors-title">Trust anchors</h2>
      <p className="muted">
        The plant&apos;s CA certificates. An endpoint&apos;s chain must validate
        to one of them (or to public roots, where the endpoint allows it).
      </p>
      {plan.trustAnchors.length === 0 ? (
        <p className="muted">No trust anchor yet.</p>
      ) : (
        <ul className="plain-list">
          {plan.trustAnchors.map((anchor) => (
            <li key={anchor.id} className="card">
              <h3>{anchor.name}</h3>
              <dl className="facts">
                <div>
                  <dt>Subject</dt>
                  <dd>{anchor.subject}</dd>
                </div>
                <div>
                  <dt>SHA-256 fingerprint</dt>
                  <dd>
                    <code>{anchor.fingerprintSha256}</code>
                  </dd>
                </div>
              </dl>
              <button
                type="button"
                className="button button-small"
                onClick={() => void editPlan(removeTrustAnchor(anchor.id))}
              >
                Remove {anchor.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FilePicker
        label="Import CA certificates (PEM or DER)…"
        accept=".pem,.crt,.cer,.der"
        dropHint="or drop the file here"
        disabled={documents.busy === "anchor"}
        onFile={(file) => void uploadSource(file).then(importAnchor)}
        {...(desktop && {
          onDialog: () => void importAnchor({ kind: "dialog" }),
        })}
      />
      <Problem text={documents.anchorError} />
      <Notice text={documents.anchorNotice} />
    </section>
  );
}
