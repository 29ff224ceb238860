// "Verify a certificate": choose or drop a signed PDF, optionally the commissioning CA it should chain to,
// and see what the engine found — intact or not, who signed when (and the time-stamp that proves it), the
// certificate number and plant verdict, what the document keeps for verification years later.
import type { ReactNode } from "react";
import { CaFileList } from "../components/CaFileList";
import { FilePicker } from "../components/FilePicker";
import { Problem } from "../components/Field";
import { SignerCaChoice } from "../components/SignerCaChoice";
import { Icon } from "../components/Icon";
import { Verdict } from "../components/Verdict";
import { formatTime } from "../components/EvidenceView";
import { inAppWords } from "../lib/engine-words";
import { uploadSource } from "../lib/files";
import { useFocusHeading } from "../lib/use-focus-heading";
import { useAppStore } from "../store/context";
import {
  judgedAtWords,
  timeStampWords,
  validationDataWords,
} from "../../../shared/verify-words";
import { VERIFY_LOOKS, verifyHeadline } from "../store/verify-slice";

export function VerifyScreen(): ReactNode {
  const verify = useAppStore((state) => state.verify);
  const desktop = useAppStore((state) => state.about.info?.mode === "desktop");
  const verifyCertificate = useAppStore((state) => state.verifyCertificate);
  const addVerifyCa = useAppStore((state) => state.addVerifyCa);
  const removeVerifyCa = useAppStore((state) => state.removeVerifyCa);
  const showVerifier = useAppStore((state) => state.showVerifier);
  const checkSignerWith = useAppStore((state) => state.checkSignerWith);
  const heading = useFocusHeading<HTMLHeadingElement>("verify");
  const result = verify.result;
  const look = result === null ? null : VERIFY_LOOKS[result.status];
  const judgedAt = result === null ? null : judgedAtWords(result);

  return (
    <section className="screen" aria-labelledby="verify-screen-title">
      <button
        type="button"
        className="button button-back"
        onClick={() => showVerifier(false)}
      >
        Back
      </button>
      <h1 id="verify-screen-title" tabIndex={-1} ref={heading}>
        Verify a certificate
      </h1>
      <p className="lead">
        Cellcert checks the signature, that not a byte changed since signing,
        the signer&apos;s certificate, the signature&apos;s time-stamp, and the
        evidence&apos;s hash.
      </p>
      <section className="panel" aria-labelledby="verify-ca-title">
        <h2 id="verify-ca-title">Commissioning CA (optional)</h2>
        <p>
          Add the commissioning CA certificate (PEM) the customer was handed, to
          check the signer came from it — and the CA of the plant&apos;s
          time-stamping authority, to check its time-stamp.
        </p>
        <SignerCaChoice />
        <FilePicker
          label="Add a CA certificate (PEM)…"
          accept=".pem,.crt,.cer"
          onFile={(file) => {
            void file.text().then((pem) => addVerifyCa(file.name, pem));
          }}
        />
        {verify.cas.length > 0 && (
          <CaFileList cas={verify.cas} onRemove={removeVerifyCa} />
        )}
      </section>
      <section className="panel" aria-labelledby="verify-pdf-title">
        <h2 id="verify-pdf-title">The signed PDF</h2>
        <FilePicker
          label="Choose a certificate PDF…"
          accept=".pdf,application/pdf"
          dropHint="or drop the PDF here"
          disabled={verify.checking}
          onFile={(file) => {
            void uploadSource(file).then(verifyCertificate);
          }}
          {...(desktop && {
            onDialog: () => void verifyCertificate({ kind: "dialog" }),
          })}
        />
        {verify.checking && <p role="status">Checking…</p>}
        <Problem text={verify.error} />
      </section>
      {result !== null && look !== null && (
        <section
          className={`panel verify-result tone-${look.tone}`}
          aria-labelledby="verify-result-title"
        >
          <h2 id="verify-result-title" className="verify-headline">
            <Icon symbol={look.symbol} size={34} />
            {verifyHeadline(result)}
          </h2>
          {result.status === "signer-not-checked" && (
            <div
              className="verify-ca-prompt"
              role="group"
              aria-labelledby="verify-ca-prompt-title"
            >
              <p id="verify-ca-prompt-title">
                <strong>Not called valid:</strong> anyone can sign a document
                under any name. It is signed by{" "}
                {result.signer?.subject ?? "an unknown signer"}, SHA-256{" "}
                <code>{result.signer?.fingerprintSha256 ?? "—"}</code>. Add the
                commissioning CA certificate (PEM) the customer was handed, to
                check the signer came from it.
              </p>
              <FilePicker
                label="Check the signer with the commissioning CA (PEM)…"
                accept=".pem,.crt,.cer"
                disabled={verify.checking}
                onFile={(file) => {
                  void file
                    .text()
                    .then((pem) => checkSignerWith(file.name, pem));
                }}
              />
            </div>
          )}
          <dl className="facts">
            <div>
              <dt>File</dt>
              <dd>{result.fileName}</dd>
            </div>
            {result.certificateNumber !== null && (
              <div>
                <dt>Certificate number</dt>
                <dd>{result.certificateNumber}</dd>
              </div>
            )}
            {result.plantVerdict !== null && (
              <div>
                <dt>Plant verdict</dt>
                <dd>
                  <Verdict verdict={result.plantVerdict} />
                </dd>
              </div>
            )}
            {result.practice === true && (
              <div>
                <dt>Practice</dt>
                <dd>
                  PRACTICE — made with the practice plant, not a real
                  commissioning
                </dd>
              </div>
            )}
            {result.signer !== null && (
              <>
                <div>
                  <dt>Signed by</dt>
                  <dd>{result.signer.subject}</dd>
                </div>
                <div>
                  <dt>Signer&apos;s issuer</dt>
                  <dd>{result.signer.issuer}</dd>
                </div>
                <div>
                  <dt>Signer&apos;s SHA-256 fingerprint</dt>
                  <dd>
                    <code>{result.signer.fingerprintSha256}</code>
                  </dd>
                </div>
              </>
            )}
            {result.signingTime !== null && (
              <div>
                <dt>Signed at (the laptop&apos;s clock)</dt>
                <dd>{formatTime(result.signingTime)}</dd>
              </div>
            )}
            {result.signer !== null && (
              <div>
                <dt>Time-stamped</dt>
                <dd>
                  {timeStampWords(result, {
                    caGiven: verify.cas.length > 0,
                    addCa: "add its CA above",
                  })}
                </dd>
              </div>
            )}
            {judgedAt !== null && (
              <div>
                <dt>Signer judged at</dt>
                <dd>{judgedAt}</dd>
              </div>
            )}
            {result.signer !== null && (
              <div>
                <dt>Kept in the document for verification years later</dt>
                <dd>{validationDataWords(result)}</dd>
              </div>
            )}
            <div>
              <dt>Signer from the CAs given</dt>
              <dd>
                {result.trusted === null
                  ? verify.cas.length === 0
                    ? "NOT checked: no commissioning CA given"
                    : "not checked"
                  : result.trusted
                    ? "yes"
                    : "no"}
              </dd>
            </div>
            {result.appendedBytes > 0 && (
              <div>
                <dt>Bytes appended after signing</dt>
                <dd>{result.appendedBytes}</dd>
              </div>
            )}
          </dl>
          <h3>What was checked</h3>
          <ul className="plain-list verify-checks">
            {result.checks.map((check) => (
              <li key={check.id}>
                <Verdict verdict={check.outcome} /> {inAppWords(check.message)}
                {check.id === "chain" &&
                  check.outcome === "skipped" &&
                  " Add the commissioning CA certificate above, then choose the PDF again."}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
