// The start screen: where a commissioning begins — a new plan from the reference template, a plan opened,
// a re-audit started from the last certificate, the practice plant, or a certificate verified.
import { useEffect, useState, type ReactNode } from "react";
import { CaFileList } from "../components/CaFileList";
import { FilePicker } from "../components/FilePicker";
import { Problem, TextField } from "../components/Field";
import { uploadSource } from "../lib/files";
import { useAppStore } from "../store/context";

export function StartScreen(): ReactNode {
  const list = useAppStore((state) => state.plan.list);
  const listError = useAppStore((state) => state.plan.listError);
  const planError = useAppStore((state) => state.plan.error);
  const mode = useAppStore((state) => state.about.info?.mode ?? null);
  const newPlan = useAppStore((state) => state.newPlan);
  const openPlan = useAppStore((state) => state.openPlan);
  const listPlans = useAppStore((state) => state.listPlans);
  const showVerifier = useAppStore((state) => state.showVerifier);
  const [plantName, setPlantName] = useState("");
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void listPlans();
  }, [listPlans]);

  const desktop = mode === "desktop" || list?.mode === "desktop";
  const recent = list?.recent ?? [];
  const workspace = (list?.workspace ?? []).filter(
    (file) => !recent.some((r) => r.location === file.file),
  );

  return (
    <section className="start" aria-labelledby="start-title">
      <h1 id="start-title">Commission a plant</h1>
      <p className="lead">
        Walk every cell boundary, probe the live endpoints from where the laptop
        stands, and sign the commissioning certificate.
      </p>
      <Problem text={planError} />
      <div className="start-grid">
        <form
          className="panel"
          aria-labelledby="new-plan-title"
          onSubmit={(event) => {
            event.preventDefault();
            if (plantName.trim() === "") {
              setNameProblem(
                "Give the plant a name; it starts the certificate number.",
              );
              return;
            }
            setNameProblem(null);
            setBusy(true);
            void newPlan(plantName.trim()).finally(() => setBusy(false));
          }}
        >
          <h2 id="new-plan-title">New plan</h2>
          <p>
            From the reference template: the seven cells, the eight boundaries
            and an endpoint for each to fill in.
          </p>
          <TextField
            label="Plant name"
            value={plantName}
            onChange={setPlantName}
            problems={nameProblem === null ? [] : [nameProblem]}
            autoComplete="off"
          />
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
          >
            Create the plan
          </button>
        </form>

        <section className="panel" aria-labelledby="open-title">
          <h2 id="open-title">Open a plan</h2>
          <Problem text={listError} />
          {desktop && (
            <button
              type="button"
              className="button"
              onClick={() => void openPlan({ kind: "dialog" })}
            >
              Open a plan file…
            </button>
          )}
          {recent.length > 0 && (
            <>
              <h3>Recent plans</h3>
              <ul className="plain-list choice-list">
                {recent.map((entry) => (
                  <li key={entry.id}>
                    <button
                      type="button"
                      className="button button-choice"
                      onClick={() =>
                        void openPlan({ kind: "recent", id: entry.id })
                      }
                    >
                      <span className="choice-title">{entry.plantName}</span>
                      <span className="choice-detail">
                        {entry.location} · opened{" "}
                        {new Date(entry.openedAt).toLocaleString()}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {workspace.length > 0 && (
            <>
              <h3>In the workspace</h3>
              <ul className="plain-list choice-list">
                {workspace.map((file) => (
                  <li key={file.file}>
                    <button
                      type="button"
                      className="button button-choice"
                      onClick={() =>
                        void openPlan({ kind: "workspace", file: file.file })
                      }
                    >
                      <span className="choice-title">{file.file}</span>
                      <span className="choice-detail">
                        changed {new Date(file.modifiedAt).toLocaleString()}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {!desktop && recent.length === 0 && workspace.length === 0 && (
            <p className="muted">No plans in the workspace yet.</p>
          )}
        </section>

        <ReauditPanel desktop={desktop} />

        <PracticePanel />

        <section className="panel" aria-labelledby="verify-title">
          <h2 id="verify-title">Verify a certificate</h2>
          <p>
            Check that a signed commissioning certificate (PDF) is intact, and
            who signed it.
          </p>
          <button
            type="button"
            className="button"
            onClick={() => showVerifier(true)}
          >
            Verify a certificate
          </button>
        </section>
      </div>
    </section>
  );
}

/** "Re-audit from a certificate": the commissioning CA (optional), then the certificate, verified before use. */
function ReauditPanel({ desktop }: { desktop: boolean }): ReactNode {
  const reaudit = useAppStore((state) => state.reaudit);
  const startReaudit = useAppStore((state) => state.startReaudit);
  const addCa = useAppStore((state) => state.addReauditCa);
  const removeCa = useAppStore((state) => state.removeReauditCa);
  return (
    <section className="panel" aria-labelledby="reaudit-start-title">
      <h2 id="reaudit-start-title">Re-audit from a certificate</h2>
      <p>
        Start the next commissioning from the last signed certificate: its
        plant, cells, boundaries, endpoints and trust anchors, and afterwards
        what changed since. Runs, secrets, waivers and attestations are not
        carried over.
      </p>
      <FilePicker
        label="Add the commissioning CA (PEM, optional)…"
        accept=".pem,.crt,.cer"
        disabled={reaudit.starting}
        onFile={(file) => {
          void file.text().then((pem) => addCa(file.name, pem));
        }}
      />
      {reaudit.cas.length > 0 ? (
        <CaFileList cas={reaudit.cas} onRemove={removeCa} />
      ) : (
        <p className="muted">
          Without the CA the certificate is accepted when intact, and the plan
          says who signed it was not checked.
        </p>
      )}
      <FilePicker
        label="Choose the certificate PDF to re-audit…"
        accept=".pdf,application/pdf"
        dropHint="or drop the PDF here"
        disabled={reaudit.starting}
        onFile={(file) => {
          void uploadSource(file).then(startReaudit);
        }}
        {...(desktop && {
          onDialog: () => void startReaudit({ kind: "dialog" }),
        })}
      />
      {reaudit.starting && <p role="status">Verifying the certificate…</p>}
      <Problem text={reaudit.error} />
    </section>
  );
}

function PracticePanel(): ReactNode {
  const practice = useAppStore((state) => state.practice);
  const startPractice = useAppStore((state) => state.startPractice);
  const stopPractice = useAppStore((state) => state.stopPractice);
  const busy = practice.starting !== null;
  const running = practice.status?.running === true;
  return (
    <section className="panel" aria-labelledby="practice-title">
      <h2 id="practice-title">Practice plant</h2>
      <p>
        A whole plant on this laptop&apos;s loopback addresses, to learn the
        walk without a plant at hand. Everything it produces says PRACTICE.
      </p>
      {practice.status !== null && (
        <p className="muted">{practice.status.passphraseHint}</p>
      )}
      <Problem text={practice.error} />
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void startPractice(false)}
        >
          {practice.starting === "good"
            ? "Starting the practice plant…"
            : "Start the practice plant"}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void startPractice(true)}
        >
          {practice.starting === "broken"
            ? "Starting the broken practice plant…"
            : "Start the broken practice plant"}
        </button>
        {running && (
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => void stopPractice()}
          >
            Stop the practice plant
          </button>
        )}
      </div>
      {running && (
        <p role="status" className="muted">
          The {practice.status?.broken === true ? "broken " : ""}practice plant
          is running.
        </p>
      )}
    </section>
  );
}
