// One check on one endpoint: verdict, the sentence to act on, measured value against threshold, headroom,
// the guide's requirement and SR references, the evidence, and what the engineer can do about it
// (re-run, waive with a justification, a name and who approved it, attest a manual check with a statement).
// What may be waived or attested is the one rule of shared/verdicts/recordable.ts, as the engine records it.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { RunItem } from "../../../shared/contract/schemas";
import { Attestation, Waiver } from "../../../shared/model/plan";
import {
  attestationRefusal,
  waiverRefusal,
  type ResultState,
} from "../../../shared/verdicts/recordable";
import {
  calendarDay,
  type CheckAssessment,
} from "../../../shared/verdicts/rollup";
import { attestationNote, waiverNote } from "../../../shared/wording";
import { checkText, criteriaOf, srTitles } from "../lib/check-text";
import { inAppHint } from "../lib/engine-words";
import { asSentence, checkFields } from "../lib/field-problems";
import { evidenceOf } from "../store/assessment";
import { useAppStore } from "../store/context";
import {
  putAttestation,
  putWaiver,
  removeAttestation,
  removeWaiver,
  problemsAt,
} from "../store/plan-edits";
import { selectRunning } from "../store/run-slice";
import { EvidenceView } from "./EvidenceView";
import { TextArea, TextField } from "./Field";
import { Sentence } from "./Sentence";
import { Verdict } from "./Verdict";

type Form = "none" | "waive" | "attest";

export function CheckCard({
  item,
  live,
  freshFromRun = false,
}: {
  item: CheckAssessment;
  /** The check's state in a run under way, when it is part of one. */
  live?: RunItem | undefined;
  /** The run's verdict for this check is newer than the plan's: show it from the progress. */
  freshFromRun?: boolean;
}): ReactNode {
  const { check, endpoint, result } = item;
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<Form>("none");
  const [copied, setCopied] = useState<string | null>(null);
  // Where focus goes once the card shows what the engineer just did: the note recorded, or the actions.
  const focusNext = useRef<"note" | "actions" | null>(null);
  const note = useRef<HTMLParagraphElement>(null);
  const actions = useRef<HTMLDivElement>(null);
  const running = useAppStore(selectRunning);
  // The plan only while it is needed, so a closed card does not re-render with every plan change.
  const plan = useAppStore((state) =>
    open || form !== "none" ? state.plan.draft : null,
  );
  const startRun = useAppStore((state) => state.startRun);
  const editPlan = useAppStore((state) => state.editPlan);
  const liveState =
    live !== undefined &&
    (live.state === "queued" || live.state === "running" || freshFromRun)
      ? live.state
      : null;
  const outOfDate = item.outOfDate !== null && liveState === null;
  const message =
    live?.state === "running"
      ? "Probing now…"
      : live?.state === "queued"
        ? "Waiting for its turn."
        : freshFromRun && live !== undefined
          ? live.message
          : !outOfDate && (item.waiver !== null || item.attestation !== null)
            ? // The note below says who waived or attested it; here, what was measured.
              (result?.message ?? "Nothing was measured.")
            : item.summary;
  const hint =
    liveState === null && !outOfDate && result !== null
      ? inAppHint(result.reason)
      : null;
  const canRerun = check.satisfiedBy !== "attest" && !endpoint.placeholder;
  // The shared rule decides what may be recorded; the card leaves out what would change nothing: a second
  // record beside one that counts, an attestation of what passed or warned on its own.
  const current: ResultState | null =
    result === null || item.run === null
      ? null
      : { result, run: item.run, outOfDate: item.outOfDate !== null };
  const attestationCounts =
    item.attestation !== null &&
    item.attestation.contradictedByRun === undefined;
  const waiverCounts = item.waiver !== null && !item.waiverExpired;
  const refusedAttestation = attestationRefusal(check, current);
  const canAttest =
    refusedAttestation === null &&
    !attestationCounts &&
    item.verdict !== "pass" &&
    item.verdict !== "warn";
  const canWaive =
    waiverRefusal(check, current) === null &&
    !waiverCounts &&
    !attestationCounts;
  // Why an attestable check offers no Attest: it was measured to fail (said once, beside the actions).
  const attestNote =
    check.satisfiedBy !== "probe" &&
    !outOfDate &&
    refusedAttestation !== null &&
    !attestationCounts
      ? asSentence(refusedAttestation)
      : null;
  // A waiver or attestation made for what was measured before the change does not count meanwhile (the roll-up).
  const heldBack = (
    <>
      {" "}
      (not counted while the result is{" "}
      <span className="nowrap">out of date</span>)
    </>
  );
  const evidence = open && plan !== null ? evidenceOf(plan, item) : [];
  // The certificate's words: "Pass if" on the card, "Warn if" and "Fail if" with the details.
  const criteria = criteriaOf(item, plan?.policy);
  const passIf = criteria[0] ?? { label: "Pass if", text: "" };
  const engineerName = plan?.signOff.engineer ?? "";
  const hasNote = item.waiver !== null || item.attestation !== null;
  useEffect(() => {
    const target = focusNext.current;
    if (target === null || (target === "note" && !hasNote)) return;
    focusNext.current = null;
    if (target === "note") note.current?.focus();
    else actions.current?.querySelector<HTMLElement>("button")?.focus();
  });
  const closeForm = (recorded: boolean): void => {
    const kind = form;
    setForm("none");
    if (recorded) focusNext.current = "note";
    else if (kind !== "none") toggles.current[kind]?.focus();
  };
  const toggles = useRef<Partial<Record<"waive" | "attest", HTMLElement>>>({});

  return (
    <article
      className={`check check-${item.verdict}`}
      aria-labelledby={titleId}
      data-check={check.id}
      data-endpoint={endpoint.id}
    >
      <header className="check-head">
        <Verdict
          verdict={liveState ?? (outOfDate ? "out-of-date" : item.verdict)}
        />
        <h4 id={titleId} className="check-title">
          {check.title} <span className="check-on">on {endpoint.name}</span>
        </h4>
        <code className="check-id">{check.id}</code>
      </header>
      <p className="check-message">
        <Sentence text={message} />
        {hint !== null && ` ${hint}`}
      </p>
      {result !== null &&
        !outOfDate &&
        (result.measured !== "" || result.headroom !== "") && (
          <dl className="facts facts-inline">
            {result.measured !== "" && (
              <div>
                <dt>Measured</dt>
                <dd>{result.measured}</dd>
              </div>
            )}
            <div>
              <dt>{passIf.label}</dt>
              <dd>{passIf.text}</dd>
            </div>
            {result.headroom !== "" && (
              <div>
                <dt>Headroom</dt>
                <dd>{result.headroom}</dd>
              </div>
            )}
          </dl>
        )}
      {item.waiver !== null && (
        <p className="check-note" tabIndex={-1} ref={note}>
          {waiverNote(item.waiver, item.waiverExpired)}
          {item.outOfDate !== null && heldBack}{" "}
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              focusNext.current = "actions";
              void editPlan(removeWaiver(check.id, endpoint.id));
            }}
          >
            Remove the waiver
          </button>
        </p>
      )}
      {item.attestation !== null && (
        <p className="check-note" tabIndex={-1} ref={note}>
          {attestationNote(item.attestation)}
          {item.outOfDate !== null && heldBack}{" "}
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              focusNext.current = "actions";
              void editPlan(removeAttestation(check.id, endpoint.id));
            }}
          >
            Remove the attestation
          </button>
        </p>
      )}
      <div className="check-actions" ref={actions}>
        <button
          type="button"
          className="button button-small"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? "Hide details" : "Details and evidence"}
        </button>
        {canRerun && (
          <button
            type="button"
            className="button button-small"
            disabled={running}
            onClick={() =>
              void startRun(check.vantage, {
                checkId: check.id,
                endpointId: endpoint.id,
              })
            }
          >
            Re-run this check
          </button>
        )}
        {canWaive && (
          <button
            type="button"
            className="button button-small"
            ref={(element) => {
              if (element !== null) toggles.current.waive = element;
            }}
            aria-expanded={form === "waive"}
            onClick={() => setForm(form === "waive" ? "none" : "waive")}
          >
            {item.waiver === null ? "Waive…" : "Waive again…"}
          </button>
        )}
        {canAttest && (
          <button
            type="button"
            className="button button-small"
            ref={(element) => {
              if (element !== null) toggles.current.attest = element;
            }}
            aria-expanded={form === "attest"}
            onClick={() => setForm(form === "attest" ? "none" : "attest")}
          >
            Attest…
          </button>
        )}
        {attestNote !== null && <span className="muted">{attestNote}</span>}
      </div>
      {form === "waive" && (
        <SignedStatementForm
          kind="waive"
          defaultName={engineerName}
          onDone={closeForm}
          onSubmit={({ text, name, notes, approvedBy, expires }) => {
            const waiver = {
              checkId: check.id,
              endpointId: endpoint.id,
              justification: text,
              name,
              approvedBy,
              ...(expires !== "" && { expires }),
              date: calendarDay(new Date()),
              notes,
            };
            const parsed = checkFields(Waiver, waiver);
            if (!parsed.success) return parsed.problems;
            void editPlan(putWaiver(parsed.data));
            return [];
          }}
        />
      )}
      {form === "attest" && (
        <SignedStatementForm
          kind="attest"
          defaultName={engineerName}
          onDone={closeForm}
          onSubmit={({ text, name, notes }) => {
            const attestation = {
              checkId: check.id,
              endpointId: endpoint.id,
              statement: text,
              name,
              date: calendarDay(new Date()),
              notes,
            };
            const parsed = checkFields(Attestation, attestation);
            if (!parsed.success) return parsed.problems;
            void editPlan(putAttestation(parsed.data));
            return [];
          }}
        />
      )}
      {open && (
        <div className="check-details">
          <dl className="facts">
            {criteria.slice(1).map((line) => (
              <div key={line.label}>
                <dt>{line.label}</dt>
                <dd>{line.text}</dd>
              </div>
            ))}
            <div>
              <dt>Requirement</dt>
              <dd>{check.requirement}</dd>
            </div>
            <div>
              <dt>The guide</dt>
              <dd>
                <q>{check.guide.quote}</q> — {check.guide.section}
              </dd>
            </div>
            <div>
              <dt>IEC 62443-3-3</dt>
              <dd>{srTitles(item).join("; ")}</dd>
            </div>
            <div>
              <dt>Severity</dt>
              <dd>
                {check.severity},{" "}
                {check.satisfiedBy === "probe"
                  ? "proven by a probe"
                  : check.satisfiedBy === "attest"
                    ? "attested by the engineer"
                    : "probed or attested"}
              </dd>
            </div>
            {item.run !== null && (
              <div>
                <dt>Judged in</dt>
                <dd>
                  run {item.run.sequence} from the {item.run.vantage} vantage,{" "}
                  {new Date(item.run.startedAt).toLocaleString()}
                  {item.outOfDate !== null && (
                    <>
                      , before the endpoint changed (
                      <span className="nowrap">out of date</span>)
                    </>
                  )}
                </dd>
              </div>
            )}
            {item.outOfDate !== null && result !== null && (
              <div>
                <dt>Measured before the change</dt>
                <dd>
                  {[result.measured, result.message]
                    .filter((part) => part !== "")
                    .join(" — ")}
                </dd>
              </div>
            )}
            {result !== null && result.reason !== "" && (
              <div>
                <dt>Why not tested</dt>
                <dd>{result.reason}</dd>
              </div>
            )}
          </dl>
          <div className="check-actions">
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                const text = checkText(item, evidence, plan?.policy);
                const clipboard = navigator.clipboard as Clipboard | undefined;
                if (clipboard === undefined) {
                  setCopied("This browser gives no clipboard here.");
                  return;
                }
                clipboard.writeText(text).then(
                  () => setCopied("Copied the check and its evidence."),
                  () => setCopied("The browser refused the clipboard."),
                );
              }}
            >
              Copy the check and its evidence
            </button>
            <span role="status" className="muted">
              {copied}
            </span>
          </div>
          {evidence.length === 0 ? (
            <p className="muted">No evidence recorded for this check.</p>
          ) : (
            evidence.map((e) => <EvidenceView key={e.id} evidence={e} />)
          )}
        </div>
      )}
    </article>
  );
}

interface StatementFields {
  text: string;
  name: string;
  notes: string;
  /** Waivers only: who accepted the risk on the plant's side, and the last day the waiver waives ("" for none). */
  approvedBy: string;
  expires: string;
}

function SignedStatementForm({
  kind,
  defaultName,
  onSubmit,
  onDone,
}: {
  kind: "waive" | "attest";
  defaultName: string;
  /** Returns the schema's problems, or none when recorded. */
  onSubmit: (
    fields: StatementFields,
  ) => readonly { pointer: string; reason: string }[];
  /** The form is done: recorded, or cancelled. */
  onDone: (recorded: boolean) => void;
}): ReactNode {
  const [text, setText] = useState("");
  const [name, setName] = useState(defaultName);
  const [notes, setNotes] = useState("");
  const [approvedBy, setApprovedBy] = useState("");
  const [expires, setExpires] = useState("");
  const [problems, setProblems] = useState<
    readonly { pointer: string; reason: string }[]
  >([]);
  const textField = kind === "waive" ? "justification" : "statement";
  return (
    <form
      className="statement-form"
      aria-label={kind === "waive" ? "Waive this check" : "Attest this check"}
      onSubmit={(event) => {
        event.preventDefault();
        const found = onSubmit({ text, name, notes, approvedBy, expires });
        setProblems(found);
        if (found.length === 0) onDone(true);
      }}
    >
      <TextArea
        label={kind === "waive" ? "Justification" : "Statement"}
        hint={
          kind === "waive"
            ? "Why the plant may be commissioned with this check not met (printed on the certificate)."
            : "What you checked and found, in your own words (printed on the certificate)."
        }
        value={text}
        onChange={setText}
        problems={problemsAt(problems, `/${textField}`)}
        autoFocus
      />
      <TextField
        label="Your name"
        value={name}
        onChange={setName}
        autoComplete="name"
        problems={problemsAt(problems, "/name")}
      />
      {kind === "waive" && (
        <>
          <TextField
            label="Approved by"
            hint="Who accepted the risk on the plant's side (printed on the certificate with the waiver)."
            value={approvedBy}
            onChange={setApprovedBy}
            problems={problemsAt(problems, "/approvedBy")}
          />
          <TextField
            label="Waived until (optional)"
            type="date"
            hint="The last day the waiver waives; after it the check counts as measured again. Empty: no end."
            value={expires}
            onChange={setExpires}
            problems={problemsAt(problems, "/expires")}
          />
        </>
      )}
      <TextField label="Notes (optional)" value={notes} onChange={setNotes} />
      <div className="actions">
        <button type="submit" className="button button-primary">
          {kind === "waive" ? "Record the waiver" : "Record the attestation"}
        </button>
        <button type="button" className="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
