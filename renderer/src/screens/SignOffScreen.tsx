// Sign-off: who signs (the engineer's identity), who witnessed, the certificate's preview, and the signed PDF —
// saved through main's dialog and shown in its folder on the desktop, downloaded in browser mode.
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { ReportPreview } from "../../../shared/contract/schemas";
import type { Plan } from "../../../shared/model/plan";
import { Notice, Problem, SelectField, TextField } from "../components/Field";
import {
  CommissioningCaHandover,
  CreateIdentityForm,
  ImportIdentityForm,
} from "../components/IdentityForms";
import { BlockerList } from "../components/BlockerList";
import { SecretPrompt } from "../components/SecretPrompt";
import { Sentence } from "../components/Sentence";
import { OutOfDateCount, Verdict, VerdictCounts } from "../components/Verdict";
import { formatTime } from "../components/EvidenceView";
import { useFocusHeading } from "../lib/use-focus-heading";
import {
  selectAssessment,
  selectSignOffSummary,
  type SignOffSummary,
} from "../store/assessment";
import { useAppStore } from "../store/context";
import { setSignOff } from "../store/plan-edits";
import { selectSecretOf } from "../store/secrets-slice";

export function SignOffScreen({ plan }: { plan: Plan }): ReactNode {
  const report = useAppStore((state) => state.report);
  const desktop = useAppStore((state) => state.about.info?.mode === "desktop");
  const loadReportPreview = useAppStore((state) => state.loadReportPreview);
  const loadSecrets = useAppStore((state) => state.loadSecrets);
  const exportCertificate = useAppStore((state) => state.exportCertificate);
  const downloadAgain = useAppStore((state) => state.downloadAgain);
  const revealCertificate = useAppStore((state) => state.revealCertificate);
  const showVerifier = useAppStore((state) => state.showVerifier);
  const editPlan = useAppStore((state) => state.editPlan);
  const heading = useFocusHeading<HTMLHeadingElement>("signoff");
  const engineers = plan.identities.filter((i) => i.role === "engineer");
  const signing =
    engineers.find(
      (i) => i.fingerprintSha256 === plan.signOff.identityFingerprint,
    ) ?? engineers[0];
  const [chosen, setChosen] = useState<string | null>(null);
  const identity = engineers.find((i) => i.id === chosen) ?? signing;
  const secret = useAppStore(selectSecretOf("identity", identity?.id ?? ""));
  const [engineer, setEngineer] = useState(plan.signOff.engineer);
  const [company, setCompany] = useState(plan.signOff.company);
  const [witness, setWitness] = useState(plan.signOff.witnessName);
  const [adding, setAdding] = useState<"create" | "import">("create");
  const [addOpen, setAddOpen] = useState(engineers.length === 0);
  const [confirming, setConfirming] = useState(false);
  const summary = useAppStore(selectSignOffSummary);
  const assessment = useAppStore(selectAssessment);
  const pending = useAppStore((state) => state.plan.pending);
  const signButton = useRef<HTMLButtonElement>(null);
  const exportedNote = useRef<HTMLParagraphElement>(null);
  // Once the confirmation closes: back to the Sign button, or to the sentence saying what was signed.
  const focusNext = useRef<"sign" | "exported" | null>(null);
  useEffect(() => {
    const target = focusNext.current;
    if (target === null || confirming) return;
    focusNext.current = null;
    (target === "exported" ? exportedNote : signButton).current?.focus();
  });

  // The preview depends on the whole plan (verdict, identities, names): ask again when it changes.
  const revision = useAppStore((state) => state.plan.document?.revision ?? 0);
  useEffect(() => {
    void loadReportPreview();
  }, [revision, loadReportPreview]);
  useEffect(() => {
    void loadSecrets();
  }, [revision, loadSecrets]);

  const commit = (): void => {
    const changes = {
      engineer: engineer.trim(),
      company: company.trim(),
      witnessName: witness.trim(),
    };
    if (
      changes.engineer !== plan.signOff.engineer ||
      changes.company !== plan.signOff.company ||
      changes.witnessName !== plan.signOff.witnessName
    )
      void editPlan(setSignOff(changes));
  };
  const preview = report.preview;
  const exported = report.exported;
  const blocked =
    identity === undefined ||
    (secret !== null && !secret.available) ||
    report.exporting;

  return (
    <section className="screen" aria-labelledby="signoff-title">
      <h1 id="signoff-title" tabIndex={-1} ref={heading}>
        Sign-off
      </h1>
      <section className="panel" aria-labelledby="people-title">
        <h2 id="people-title">Who signs, who witnessed</h2>
        <div className="form-grid">
          <TextField
            label="Engineer's name"
            value={engineer}
            onChange={setEngineer}
            onCommit={commit}
            autoComplete="name"
          />
          <TextField
            label="Engineer's company"
            value={company}
            onChange={setCompany}
            onCommit={commit}
            autoComplete="organization"
          />
          <TextField
            label="Witness name"
            hint="Named on the certificate; the engineer's is the only signature."
            value={witness}
            onChange={setWitness}
            onCommit={commit}
          />
        </div>
      </section>

      <section className="panel" aria-labelledby="identity-title">
        <h2 id="identity-title">The engineer&apos;s signing identity</h2>
        {engineers.length > 0 && identity !== undefined && (
          <>
            <SelectField
              label="Sign with"
              value={identity.id}
              options={engineers.map((i) => ({
                value: i.id,
                label: `${i.name} — ${i.subject}`,
              }))}
              onChange={setChosen}
            />
            <p className="muted">
              SHA-256 <code>{identity.fingerprintSha256}</code>
              {identity.notAfter !== undefined &&
                `, valid until ${formatTime(identity.notAfter)}`}
            </p>
            {secret !== null && !secret.available && (
              <SecretPrompt secret={secret} />
            )}
          </>
        )}
        {engineers.length === 0 && (
          <p>
            The plan has no signing identity yet: create one, or import your
            PKCS#12 file.
          </p>
        )}
        <details
          className="disclosure"
          open={addOpen}
          onToggle={(event) => setAddOpen(event.currentTarget.open)}
        >
          <summary>
            {engineers.length === 0
              ? "Add the signing identity"
              : "Add another signing identity"}
          </summary>
          <fieldset className="segmented">
            <legend className="visually-hidden">How to add it</legend>
            <label>
              <input
                type="radio"
                name="add-identity"
                checked={adding === "create"}
                onChange={() => setAdding("create")}
              />
              Create one
            </label>
            <label>
              <input
                type="radio"
                name="add-identity"
                checked={adding === "import"}
                onChange={() => setAdding("import")}
              />
              Import a PKCS#12 file
            </label>
          </fieldset>
          {adding === "create" ? (
            <CreateIdentityForm
              defaultName={plan.signOff.engineer}
              defaultCompany={plan.signOff.company}
            />
          ) : (
            <ImportIdentityForm defaultRole="engineer" />
          )}
        </details>
        <CommissioningCaHandover />
      </section>

      <section
        className="panel certificate-preview"
        aria-labelledby="preview-title"
      >
        <h2 id="preview-title">The certificate</h2>
        <Problem text={report.previewError} />
        {preview !== null && (
          <>
            {preview.practice && (
              <p className="practice-stamp">
                PRACTICE — a practice certificate never passes for a real one
              </p>
            )}
            <p className="plant-verdict">
              Stamp: <Verdict verdict={preview.plantVerdict} size="large" />
            </p>
            <dl className="facts">
              <div>
                <dt>
                  {plan.certificates.length === 0
                    ? "Certificate number"
                    : "Next certificate number"}
                </dt>
                <dd>{preview.number}</dd>
              </div>
              <div>
                <dt>Plant</dt>
                <dd>
                  {plan.plant.name}
                  {plan.plant.site === "" ? "" : `, ${plan.plant.site}`}
                </dd>
              </div>
              <div>
                <dt>Engineer</dt>
                <dd>
                  {[preview.engineer, preview.company]
                    .filter((p) => p !== "")
                    .join(", ") || "—"}
                </dd>
              </div>
              <div>
                <dt>Witness</dt>
                <dd>{preview.witnessName || "—"}</dd>
              </div>
              <div>
                <dt>Next audit</dt>
                <dd>{preview.nextAuditDate}</dd>
              </div>
              {preview.engineerIdentity !== null && (
                <div>
                  <dt>Signed by</dt>
                  <dd>{preview.engineerIdentity.subject}</dd>
                </div>
              )}
              <div>
                <dt>Time-stamp</dt>
                <dd>{timeStampWords(preview.timeStampAuthority)}</dd>
              </div>
            </dl>
            {preview.problems.length > 0 && (
              <>
                <h3>Before it can be signed</h3>
                <ul className="plain-list">
                  {preview.problems.map((problem) => (
                    <li key={problem} className="banner banner-error">
                      {problem}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
        {!confirming && (
          <div className="actions">
            <button
              type="button"
              ref={signButton}
              className="button button-primary button-large"
              disabled={blocked}
              onClick={() => setConfirming(true)}
            >
              {report.exporting
                ? "Signing…"
                : "Sign and export the certificate"}
            </button>
          </div>
        )}
        {confirming && summary !== null && (
          <SignConfirmation
            summary={summary}
            stamp={preview?.plantVerdict ?? summary.verdict}
            timeStampAuthority={preview?.timeStampAuthority ?? null}
            signing={report.exporting}
            // Edits on their way would change what is signed: wait for them.
            ready={!blocked && pending === 0}
            onSign={() => {
              if (identity === undefined) return;
              void exportCertificate(identity.id).then((ok) => {
                focusNext.current = ok ? "exported" : "sign";
                setConfirming(false);
              });
            }}
            onCancel={() => {
              focusNext.current = "sign";
              setConfirming(false);
            }}
          />
        )}
        <Problem text={report.exportError} />
        {exported !== null && (
          <div className="exported" role="status">
            <p tabIndex={-1} ref={exportedNote}>
              <Verdict verdict={exported.plantVerdict} /> Certificate{" "}
              {exported.number} signed
              {exported.savedTo !== null
                ? ` and saved to ${exported.savedTo}.`
                : ` as ${exported.fileName}; your browser downloads it.`}
            </p>
            {exported.timeStamp !== null && (
              <p>
                Time-stamped{" "}
                {exported.timeStamp.time.slice(0, 19).replace("T", " ")} UTC by
                the {exported.timeStamp.practice ? "PRACTICE " : ""}
                time-stamping authority {exported.timeStamp.url} (
                {exported.timeStamp.tsaName}).
              </p>
            )}
            {exported.warnings.map((warning) => (
              <Notice key={warning} text={warning} />
            ))}
            <div className="actions">
              {exported.savedTo !== null ? (
                <button
                  type="button"
                  className="button"
                  onClick={() => void revealCertificate()}
                >
                  Open its folder
                </button>
              ) : (
                <button
                  type="button"
                  className="button"
                  onClick={downloadAgain}
                >
                  Download the certificate again
                </button>
              )}
              <button
                type="button"
                className="button"
                onClick={() => showVerifier(true)}
              >
                Verify a certificate
              </button>
            </div>
            <Problem text={report.revealError} />
          </div>
        )}
        {!desktop && exported === null && (
          <p className="muted">In browser mode the signed PDF is downloaded.</p>
        )}
      </section>

      {/* After the certificate, so Sign stays near: the list is as long as what is not done yet. */}
      {assessment !== null && (
        <section className="panel" aria-labelledby="standing-title">
          <h2 id="standing-title">
            What stands between the plant and commissioned
          </h2>
          <BlockerList plan={plan} assessment={assessment} />
        </section>
      )}
    </section>
  );
}

/**
 * What is about to be signed, confirmed before signing: the verdict the stamp will carry, the checks per verdict,
 * each waived check (a person's decision the certificate rests on) and each out-of-date result.
 */
function SignConfirmation({
  summary,
  stamp,
  timeStampAuthority,
  signing,
  ready,
  onSign,
  onCancel,
}: {
  summary: SignOffSummary;
  stamp: SignOffSummary["verdict"];
  timeStampAuthority: ReportPreview["timeStampAuthority"];
  signing: boolean;
  ready: boolean;
  onSign: () => void;
  onCancel: () => void;
}): ReactNode {
  const heading = useRef<HTMLHeadingElement>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    // The whole confirmation in view, down to its buttons, not just its heading.
    const element = panel.current as Partial<HTMLElement> | null;
    element?.scrollIntoView?.({ block: "nearest" });
  }, []);
  return (
    <section
      className="panel confirm-signing"
      aria-labelledby="confirm-signing-title"
      ref={panel}
    >
      <h3 id="confirm-signing-title" tabIndex={-1} ref={heading}>
        Confirm what is signed
      </h3>
      <p className="plant-verdict">
        The certificate will say: <Verdict verdict={stamp} size="large" />
      </p>
      <VerdictCounts counts={summary.counts} />
      <OutOfDateCount count={summary.outOfDate.length} />
      {summary.waived.length > 0 && (
        <>
          <h4>
            Waived ({summary.waived.length}): printed on the certificate with
            who waived them
          </h4>
          <ul className="plain-list">
            {summary.waived.map((item) => (
              <li key={`${item.check.id} ${item.endpoint.id}`}>
                <Verdict verdict="waived" /> <strong>{item.check.id}</strong> on{" "}
                {item.endpoint.name}
                {item.waiver !== null &&
                  ` — waived by ${item.waiver.name} on ${item.waiver.date}, approved by ${item.waiver.approvedBy}${item.waiver.expires === undefined ? "" : ` until ${item.waiver.expires}`}: ${item.waiver.justification}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {summary.outOfDate.length > 0 && (
        <>
          <h4>
            <span className="nowrap">Out of date</span> (
            {summary.outOfDate.length}): measured before the endpoint changed,
            counted as not tested
          </h4>
          <ul className="plain-list">
            {summary.outOfDate.map((item) => (
              <li key={`${item.check.id} ${item.endpoint.id}`}>
                <Verdict verdict="out-of-date" />{" "}
                <strong>{item.check.id}</strong> on {item.endpoint.name}:{" "}
                <Sentence text={item.summary} />
              </li>
            ))}
          </ul>
        </>
      )}
      {summary.waived.length === 0 && summary.outOfDate.length === 0 && (
        <p>Nothing is waived, and no result is out of date.</p>
      )}
      {timeStampAuthority !== null && (
        <p>
          {timeStampWords(timeStampAuthority)}. If it does not answer, or
          answers wrongly, nothing is signed.
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button-primary button-large"
          disabled={!ready || signing}
          onClick={onSign}
        >
          {signing ? "Signing…" : "Sign and export now"}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Not yet
        </button>
      </div>
    </section>
  );
}

/** Who time-stamps the signature, as the sign-off says it. */
function timeStampWords(
  authority: ReportPreview["timeStampAuthority"],
): string {
  if (authority === null)
    return "None: the signing time is the laptop's clock (name the plant's time-stamping authority in the plan's policy to have it certified)";
  if (authority.session)
    return `By the PRACTICE time-stamping authority ${authority.url}, for this session only: the saved practice plan names none`;
  return `By the ${authority.practice ? "PRACTICE " : ""}time-stamping authority ${authority.url} (the plan's policy), asked when you sign`;
}
