// For a plan started from a certificate (issue 20): beside the topology, which certificate it was started from and
// how that verified, what is still to be done again (client identities to import, checks to attest anew), and what
// changed since — the same rows `cellcert diff` prints and the next certificate states, in words and symbols.
import { useEffect, type ReactNode } from "react";
import { CHECKS } from "../../../shared/catalog/catalog";
import type { Plan } from "../../../shared/model/plan";
import {
  changeNotes,
  changeRows,
  changesSummary,
  type ChangeRow,
} from "../../../shared/reaudit/change-rows";
import { reauditToDo } from "../../../shared/reaudit/to-do";
import { inAppWords } from "../lib/engine-words";
import { useAppStore } from "../store/context";
import { Problem } from "./Field";
import { ImportIdentityForm } from "./IdentityForms";
import { formatTime } from "./EvidenceView";

export function ReauditChanges({ plan }: { plan: Plan }): ReactNode {
  const previous = plan.previousCertificate;
  const document = useAppStore((state) => state.plan.document);
  const reaudit = useAppStore((state) => state.reaudit);
  const loadChanges = useAppStore((state) => state.loadChanges);
  const key =
    document === null
      ? null
      : `${document.location}#${String(document.revision)}`;
  useEffect(() => {
    if (previous !== undefined && key !== null) void loadChanges();
  }, [previous, key, loadChanges]);
  if (previous === undefined) return null;
  const started =
    reaudit.started !== null && reaudit.started.location === document?.location
      ? reaudit.started
      : null;
  const toDo = reauditToDo(plan);
  const changes = reaudit.changesFor === null ? null : reaudit.changes;
  const rows =
    changes?.changes === null || changes === null
      ? []
      : changeRows(changes.changes);
  // What was measured again first; what was not yet, folded (it is only pending until the vantages run).
  const settled = rows.filter((row) => row.direction !== "pending");
  const pending = rows.filter((row) => row.direction === "pending");
  return (
    <section className="panel" aria-labelledby="reaudit-title">
      <h2 id="reaudit-title">Changes since certificate {previous.number}</h2>
      <p>
        Started from certificate {previous.number}, issued{" "}
        {formatTime(previous.issuedAt)}, plant verdict{" "}
        <strong>{previous.plantVerdict.toUpperCase()}</strong>.{" "}
        {started !== null
          ? inAppWords(started.sentence)
          : previous.verified === "valid"
            ? "It verified as valid when the re-audit was started."
            : "It was intact when the re-audit was started, but who signed it was NOT checked (no commissioning CA was given)."}
      </p>
      {(toDo.identities.length > 0 || toDo.attestations.length > 0) && (
        <section aria-labelledby="reaudit-todo-title">
          <h3 id="reaudit-todo-title">To do again in this audit</h3>
          <ul className="plain-list blockers">
            {toDo.identities.map((identity) => (
              <li key={identity.id} className="blocker">
                Import the client identity <strong>{identity.name}</strong> (
                {identity.subject || "subject not recorded"}) again: until then{" "}
                {identity.waitingEndpointIds.join(", ")}{" "}
                {identity.waitingEndpointIds.length === 1 ? "has" : "have"} no
                client identity.
              </li>
            ))}
            {toDo.attestations.map((attestation) => (
              <li
                key={`${attestation.checkId} ${attestation.endpointId}`}
                className="blocker"
              >
                Attest <strong>{attestation.checkId}</strong> on{" "}
                {attestation.endpointId} anew (last time{" "}
                {attestation.previous.name}, {attestation.previous.date}: “
                {attestation.previous.statement}”).{" "}
                <ShowBoundary checkId={attestation.checkId} />
              </li>
            ))}
          </ul>
          {toDo.identities.map((identity) => (
            <ImportIdentityForm
              key={identity.id}
              defaultRole="client"
              again={{ id: identity.id, name: identity.name }}
            />
          ))}
        </section>
      )}
      {started !== null && started.notes.length > 0 && (
        <details>
          <summary>What was carried over, and what not</summary>
          <ul>
            {started.notes.map((note) => (
              <li key={note}>{inAppWords(note)}</li>
            ))}
          </ul>
        </details>
      )}
      <Problem text={reaudit.changesError ?? changes?.problem ?? null} />
      {changes?.changes !== null && changes !== null && (
        <>
          <p role="status">{changesSummary(changes.changes)}</p>
          {changeNotes(changes.changes).map((note) => (
            <p key={note} className="muted">
              {note}
            </p>
          ))}
          {settled.length > 0 && (
            <ChangeTable
              rows={settled}
              caption={`What changed since certificate ${previous.number}`}
            />
          )}
          {pending.length > 0 && (
            <details>
              <summary>
                {pending.length} not checked again yet (run the vantages to
                compare them)
              </summary>
              <ChangeTable rows={pending} caption="Not checked again yet" />
            </details>
          )}
        </>
      )}
    </section>
  );
}

function ChangeTable({
  rows,
  caption,
}: {
  rows: readonly ChangeRow[];
  caption: string;
}): ReactNode {
  return (
    <div className="table-scroll">
      <table className="table changes-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Change</th>
            <th scope="col">What</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Was</th>
            <th scope="col">Now</th>
            <th scope="col">What changed</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr
              key={`${row.what} ${row.endpoint} ${String(index)}`}
              className={`change-${row.direction}`}
            >
              <td>{row.change}</td>
              <td>{row.what}</td>
              <td>{row.endpoint}</td>
              <td>{row.was}</td>
              <td>{row.now}</td>
              <td>{row.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The button to the boundary whose card carries the check, to attest it there. */
function ShowBoundary({ checkId }: { checkId: string }): ReactNode {
  const goTo = useAppStore((state) => state.goTo);
  const boundary = CHECKS.find((check) => check.id === checkId)?.boundary;
  if (boundary === undefined) return null;
  return (
    <button
      type="button"
      className="button button-small"
      onClick={() => goTo({ screen: "overview", boundary })}
    >
      Show {boundary}
    </button>
  );
}
