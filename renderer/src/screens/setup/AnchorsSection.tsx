// Trust material: the CA certificates endpoint chains must validate to, and beside them the CRLs those CAs
// publish (DESIGN §1), both imported from PEM or DER files — never fetched.
import { useState, type ReactNode } from "react";
import type { Plan } from "../../../../shared/model/plan";
import { FilePicker } from "../../components/FilePicker";
import { Notice, Problem } from "../../components/Field";
import { uploadSource } from "../../lib/files";
import { useAppStore } from "../../store/context";
import { removeTrustAnchor, removeTrustCrl } from "../../store/plan-edits";

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
      <Notice text={documents.anchorWarning} />
      <CrlsSection plan={plan} />
    </section>
  );
}

const day = (iso: string): string => iso.slice(0, 10);

/** The CRLs of the trust material, with issuer, thisUpdate, nextUpdate and how many certificates they revoke. */
function CrlsSection({ plan }: { plan: Plan }): ReactNode {
  const desktop = useAppStore((state) => state.about.info?.mode === "desktop");
  const documents = useAppStore((state) => state.documents);
  const importCrl = useAppStore((state) => state.importCrl);
  const editPlan = useAppStore((state) => state.editPlan);
  // When the section was opened: good enough to say a CRL is out of date, and render stays pure.
  const [now] = useState(() => Date.now());
  return (
    <section aria-labelledby="crls-title">
      <h2 id="crls-title">Revocation lists (CRLs)</h2>
      <p className="muted">
        The CRLs the plant&apos;s CAs publish. A certificate they list fails its
        chain check; a CRL past its next update warns. Cellcert never fetches a
        CRL: import the current one here.
      </p>
      {plan.crls.length === 0 ? (
        <p className="muted">No CRL yet.</p>
      ) : (
        <ul className="plain-list">
          {plan.crls.map((crl) => {
            const stale =
              crl.nextUpdate !== null && Date.parse(crl.nextUpdate) < now;
            return (
              <li key={crl.id} className="card">
                <h3>{crl.name}</h3>
                <dl className="facts">
                  <div>
                    <dt>Issuer</dt>
                    <dd>{crl.issuer}</dd>
                  </div>
                  <div>
                    <dt>This update</dt>
                    <dd>{day(crl.thisUpdate)}</dd>
                  </div>
                  <div>
                    <dt>Next update</dt>
                    <dd>
                      {crl.nextUpdate === null
                        ? "none given"
                        : day(crl.nextUpdate)}
                      {stale && " — out of date: import the current CRL"}
                    </dd>
                  </div>
                  <div>
                    <dt>Revoked certificates</dt>
                    <dd>{crl.entries}</dd>
                  </div>
                </dl>
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => void editPlan(removeTrustCrl(crl.id))}
                >
                  Remove {crl.name}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <FilePicker
        label="Import CRLs (PEM or DER)…"
        accept=".crl,.pem,.der"
        dropHint="or drop the file here"
        disabled={documents.busy === "crl"}
        onFile={(file) => void uploadSource(file).then(importCrl)}
        {...(desktop && {
          onDialog: () => void importCrl({ kind: "dialog" }),
        })}
      />
      <Problem text={documents.crlError} />
      <Notice text={documents.crlNotice} />
    </section>
  );
}
