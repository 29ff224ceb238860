// On the verifier, while a plan is open: the CAs this plan's certificates were signed under (copies kept beside
// each certificate, DESIGN §11), offered as the CA to check a signer against — so verifying the plan's own
// certificate needs no file hunt, and still works after the engineer's identity is renewed.
import { useEffect, type ReactNode } from "react";
import type { SignerCa } from "../../../shared/contract/schemas";
import { useAppStore } from "../store/context";
import { formatTime } from "./EvidenceView";
import { Problem } from "./Field";

/** The name a signer CA is listed under among the CAs to check against: its file in the plan's folder. */
export function signerCaFileName(ca: SignerCa): string {
  return ca.file.split("/").at(-1) ?? ca.file;
}

export function SignerCaChoice(): ReactNode {
  const planOpen = useAppStore((state) => state.plan.document !== null);
  const plantName = useAppStore(
    (state) => state.plan.document?.plan.plant.name ?? "",
  );
  const signerCas = useAppStore((state) => state.report.signerCas);
  const error = useAppStore((state) => state.report.signerCasError);
  const chosen = useAppStore((state) => state.verify.cas);
  const loadSignerCas = useAppStore((state) => state.loadSignerCas);
  const addVerifyCa = useAppStore((state) => state.addVerifyCa);
  useEffect(() => {
    if (planOpen) void loadSignerCas();
  }, [planOpen, loadSignerCas]);
  if (!planOpen) return null;
  return (
    <section className="signer-cas" aria-labelledby="signer-cas-title">
      <h3 id="signer-cas-title">
        The CA this plan&apos;s certificates were signed under
      </h3>
      <Problem text={error} />
      {signerCas !== null && signerCas.length === 0 && (
        <p className="muted">
          No certificate of {plantName} has been signed with a CA copy kept
          beside it yet.
        </p>
      )}
      {signerCas !== null && signerCas.length > 0 && (
        <ul className="plain-list">
          {signerCas.map((ca) => {
            const fileName = signerCaFileName(ca);
            const used = chosen.some(
              (c) => c.fileName === fileName && c.pem === ca.pem,
            );
            return (
              <li key={ca.fingerprintSha256} className="signer-ca">
                <span>
                  <strong>{ca.subject}</strong>
                  <span className="muted">
                    {" "}
                    · signed certificate
                    {ca.certificates.length === 1 ? "" : "s"}{" "}
                    {ca.certificates.join(", ")} · valid until{" "}
                    {formatTime(ca.notAfter)}
                  </span>
                  <br />
                  <span className="muted">
                    SHA-256 <code>{ca.fingerprintSha256}</code>
                  </span>
                </span>
                <button
                  type="button"
                  className="button button-small"
                  disabled={used}
                  onClick={() => addVerifyCa(fileName, ca.pem)}
                >
                  {used
                    ? `Checking against ${ca.subject}`
                    : `Check against ${ca.subject}`}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
