// One step of the walk: where to plug in, the boundaries probed from here, the laptop's addresses (and the
// VANTAGE.address warning), a preview of every target, Run and Stop, live progress, and every check's verdict.
// Run, Stop, the progress and the way to the next step sit in one action bar that stays on screen while the
// checks scroll by (a 1280×720 laptop shows little else of a long vantage).
import { useEffect, useRef, type ReactNode, type RefObject } from "react";
import { boundaryDefinition } from "../../../shared/catalog/catalog";
import type { Plan } from "../../../shared/model/plan";
import type { VantageId } from "../../../shared/plant-words";
import { Problem } from "../components/Field";
import { MissingSecrets } from "../components/SecretPrompt";
import { VantageChecks } from "../components/VantageChecks";
import { Verdict } from "../components/Verdict";
import { useFocusHeading } from "../lib/use-focus-heading";
import { vantageTitle } from "../lib/vantage-title";
import { useAppStore } from "../store/context";
import {
  selectProgressLabelOf,
  selectProgressOf,
  selectRunErrorOf,
  selectRunning,
} from "../store/run-slice";
import { ownerKey } from "../store/secrets-slice";

export function WalkScreen({
  plan,
  vantage,
}: {
  plan: Plan;
  vantage: VantageId;
}): ReactNode {
  const preview = useAppStore((state) => state.run.previews[vantage]);
  const previewError = useAppStore((state) => state.run.previewErrors[vantage]);
  const progress = useAppStore(selectProgressOf(vantage));
  const running = useAppStore(selectRunning);
  const busy = useAppStore((state) => state.run.busy);
  const runError = useAppStore(selectRunErrorOf(vantage));
  const progressText = useAppStore(selectProgressLabelOf(vantage));
  const loadPreview = useAppStore((state) => state.loadPreview);
  const loadSecrets = useAppStore((state) => state.loadSecrets);
  const startRun = useAppStore((state) => state.startRun);
  const stopRun = useAppStore((state) => state.stopRun);
  const goTo = useAppStore((state) => state.goTo);
  const heading = useFocusHeading<HTMLHeadingElement>(`walk/${vantage}`);
  const order = plan.vantages.map((v) => v.id);
  const index = order.indexOf(vantage);
  const previous = order[index - 1];
  const next = order[index + 1];
  const cell = plan.cells.find(
    (c) => c.id === plan.vantages.find((v) => v.id === vantage)?.cell,
  );
  const runningHere = progress?.status === "running";
  // The engine refuses a run from a vantage whose source address or network card is not on this laptop: Run says
  // so before it is pressed (the preview is asked again when the step opens).
  const refused = preview?.problem ?? null;
  const bar = useRef<HTMLElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const outcome = useRef<HTMLParagraphElement>(null);
  useRunFocus(runningHere, bar, stopButton, outcome);

  useEffect(() => {
    void loadPreview(vantage);
    void loadSecrets();
  }, [vantage, loadPreview, loadSecrets]);

  const owners = preview?.targets.flatMap((target) => {
    const endpoint = plan.endpoints.find((e) => e.id === target.endpointId);
    return [
      ...(endpoint?.clientIdentityId === undefined
        ? []
        : [ownerKey({ kind: "identity", id: endpoint.clientIdentityId })]),
      ...(endpoint?.credentialId === undefined
        ? []
        : [ownerKey({ kind: "credential", id: endpoint.credentialId })]),
    ];
  });

  return (
    <section className="screen" aria-labelledby="walk-title">
      <p className="step-count">
        Step {index + 1} of {order.length} of the walk
      </p>
      <h1 id="walk-title" tabIndex={-1} ref={heading}>
        {vantageTitle(vantage, cell?.name)}
      </h1>
      <p className="instruction">
        {preview?.instruction ??
          `Connect the laptop to the ${cell?.name ?? vantage} cell.`}
      </p>
      <Problem text={previewError} />

      <div className="walk-grid">
        <section className="panel" aria-labelledby="walk-boundaries">
          <h2 id="walk-boundaries">Boundaries probed from here</h2>
          {preview !== undefined && preview.boundaries.length === 0 && (
            <p className="muted">None in scope.</p>
          )}
          <ul className="plain-list">
            {preview?.boundaries.map((id) => {
              const definition = boundaryDefinition(id);
              return (
                <li key={id}>
                  <strong>{id}</strong> · {definition.title}:{" "}
                  {definition.protection}
                </li>
              );
            })}
          </ul>
        </section>

        <section className="panel" aria-labelledby="walk-laptop">
          <h2 id="walk-laptop">This laptop</h2>
          {preview !== undefined && (
            <>
              <p className="vantage-address">
                <Verdict verdict={preview.vantageAddress.verdict} />{" "}
                {preview.vantageAddress.message}
              </p>
              <p>
                {preview.hostName}
                {preview.sourceAddress === null
                  ? ", probing from the address the system chooses."
                  : `, probing from ${preview.sourceAddress}.`}
              </p>
              <table className="table">
                <caption className="visually-hidden">
                  The laptop&apos;s addresses
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Interface</th>
                    <th scope="col">Address</th>
                    <th scope="col">Network</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.addresses.map((address) => (
                    <tr key={`${address.interface} ${address.address}`}>
                      <th scope="row">{address.interface}</th>
                      <td>{address.address}</td>
                      <td>
                        {address.cidr}
                        {address.internal ? " (internal)" : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <button
            type="button"
            className="button button-small"
            onClick={() => void loadPreview(vantage)}
          >
            Look at the laptop&apos;s addresses again
          </button>
        </section>
      </div>

      <section className="panel" aria-labelledby="walk-targets">
        <h2 id="walk-targets">What the run will touch</h2>
        {preview !== undefined && preview.targets.length === 0 && (
          <p className="muted">Nothing to probe from here.</p>
        )}
        {preview !== undefined && preview.targets.length > 0 && (
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label="Targets of this vantage"
          >
            <table className="table">
              <caption className="visually-hidden">
                Targets of this vantage
              </caption>
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Address</th>
                  <th scope="col">What is sent</th>
                  <th scope="col">Checks</th>
                </tr>
              </thead>
              <tbody>
                {preview.targets.map((target) => (
                  <tr key={`${target.endpointId} ${target.family}`}>
                    <th scope="row">
                      {target.endpointName}
                      <span className="muted"> · {target.family}</span>
                    </th>
                    <td>{target.address}</td>
                    <td>
                      {target.traffic}
                      {target.blocked !== null && (
                        <p className="blocked">
                          <Verdict verdict="not-tested" /> {target.blocked}
                        </p>
                      )}
                    </td>
                    <td>{target.checkIds.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {preview !== undefined && preview.attestOnly.length > 0 && (
          <p className="muted">
            {preview.attestOnly.length} check
            {preview.attestOnly.length === 1 ? " is" : "s are"} proven by the
            engineer&apos;s attestation, not by a probe: see them below.
          </p>
        )}
      </section>

      {owners !== undefined && owners.length > 0 && (
        <MissingSecrets owners={owners} />
      )}

      <section
        className="panel action-bar"
        aria-labelledby="walk-run"
        ref={bar}
      >
        <h2 id="walk-run" className="visually-hidden">
          Run from here
        </h2>
        <div className="action-bar-run">
          <button
            type="button"
            className="button button-primary"
            disabled={running || busy !== null || refused !== null}
            aria-describedby={refused === null ? undefined : "walk-refused"}
            onClick={() => void startRun(vantage)}
          >
            Run the checks from {cell?.name ?? vantage}
          </button>
          <button
            type="button"
            ref={stopButton}
            className="button button-danger"
            disabled={!runningHere || busy === "stopping"}
            onClick={() => void stopRun()}
          >
            Stop
          </button>
          {refused !== null && (
            <p id="walk-refused" className="action-bar-refused">
              {refused}
            </p>
          )}
        </div>
        <div className="action-bar-progress" aria-live="polite">
          {progress !== null && progressText !== null ? (
            <>
              <p className="action-bar-outcome" tabIndex={-1} ref={outcome}>
                {progressText}
              </p>
              <progress
                max={Math.max(progress.total, 1)}
                value={progress.done}
                aria-label="Checks judged"
              >
                {progress.done} of {progress.total}
              </progress>
              {progress.message !== "" && progress.status !== "running" && (
                <p className="muted action-bar-note">{progress.message}</p>
              )}
            </>
          ) : running ? (
            <p className="muted">A run from another vantage is under way.</p>
          ) : (
            <p className="muted">Not run from here in this session.</p>
          )}
        </div>
        <nav className="action-bar-steps" aria-label="Steps of the walk">
          {previous !== undefined && (
            <button
              type="button"
              className="button"
              onClick={() => goTo({ screen: "walk", vantage: previous })}
            >
              Back: {vantageTitle(previous)}
            </button>
          )}
          <button
            type="button"
            className="button button-primary"
            onClick={() =>
              goTo(
                next === undefined
                  ? { screen: "overview", boundary: null }
                  : { screen: "walk", vantage: next },
              )
            }
          >
            Next: {next === undefined ? "Overview" : vantageTitle(next)}
          </button>
        </nav>
        <Problem text={runError} />
      </section>

      <VantageChecks vantage={vantage} />
    </section>
  );
}

/**
 * Where keyboard focus goes as a run starts and ends. Run is disabled while a run is under way, so focus that was
 * on it moves to Stop; when the run ends (Stop is disabled then), to the sentence saying how it ended. Focus the
 * engineer put elsewhere (a waiver being written) is left where it is.
 */
function useRunFocus(
  runningHere: boolean,
  bar: RefObject<HTMLElement | null>,
  stopButton: RefObject<HTMLButtonElement | null>,
  outcome: RefObject<HTMLParagraphElement | null>,
): void {
  const was = useRef(runningHere);
  useEffect(() => {
    const before = was.current;
    was.current = runningHere;
    if (before === runningHere) return;
    const active = document.activeElement;
    const lost =
      active === null ||
      active === document.body ||
      (bar.current?.contains(active) ?? false);
    if (!lost) return;
    if (runningHere) stopButton.current?.focus();
    else outcome.current?.focus();
  }, [runningHere, bar, stopButton, outcome]);
}
