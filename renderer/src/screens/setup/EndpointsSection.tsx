// Endpoints, boundary by boundary, and the editor of one: host, port, kind, SNI name, paths, allowed and
// denied ports, trust anchors, client identity, SQL credential, guideline — checked against the plan's own
// schema as it is typed, the reasons shown beside each field, the plan's warnings beside what they are about.
// Removing an endpoint that was probed retires it (shared/model/endpoint-removal.ts): it stays in the list as
// retired, not editable; putting it back into the walk is its own button that says what it does.
import {
  Children,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { boundaryDefinition } from "../../../../shared/catalog/catalog";
import { runsMeasuring } from "../../../../shared/model/endpoint-removal";
import {
  kindHasField,
  type EndpointField,
} from "../../../../shared/model/endpoint-kinds";
import type { Endpoint, Plan } from "../../../../shared/model/plan";
import { formatHostPort } from "../../../../shared/model/net";
import {
  endpointKinds,
  type BoundaryId,
  type EndpointKind,
} from "../../../../shared/plant-words";
import {
  CheckboxField,
  Problem,
  SelectField,
  TextArea,
  TextField,
} from "../../components/Field";
import {
  formatPortList,
  parseLines,
  parseOptionalPort,
  parsePortList,
} from "../../lib/form-values";
import { retiredSentence } from "../../components/RetiredEndpoints";
import { useAppStore } from "../../store/context";
import {
  draftEndpointWarnings,
  warningsAbout,
} from "../../store/setup-warnings";
import {
  newEndpoint,
  planProblems,
  problemsAt,
  putEndpoint,
  removeEndpoint,
  returnEndpoint,
} from "../../store/plan-edits";

const KIND_LABELS: Record<EndpointKind, string> = {
  https: "HTTPS (server certificate)",
  "mtls-https": "HTTPS with client certificates",
  "http-plain": "Plain HTTP",
  tls: "TLS (any protocol inside)",
  tcp: "TCP ports",
  mssql: "SQL Server",
  opcua: "OPC UA",
  manual: "Manual (attested)",
};

/** Where focus lands when the editor closes: the endpoint's Edit button, or its boundary's Add button. */
interface ReturnTo {
  endpointId: string | null;
  boundary: BoundaryId;
}

export function EndpointsSection({ plan }: { plan: Plan }): ReactNode {
  const [editing, setEditing] = useState<{
    original: string | null;
    endpoint: Endpoint;
  } | null>(null);
  const returnTo = useRef<ReturnTo | null>(null);
  const list = useRef<HTMLElement>(null);
  const document = useAppStore((state) => state.plan.document);
  const editPlan = useAppStore((state) => state.editPlan);
  // A layout effect: focus is back on the list in the same commit that shows it, whatever closed the editor
  // (a click, or a save answered later) or changed the row (a retired endpoint returned to the walk), so neither a
  // person nor a test ever finds the list without it.
  useLayoutEffect(() => {
    const target = returnTo.current;
    if (editing !== null || target === null) return;
    returnTo.current = null;
    const edit =
      target.endpointId === null
        ? null
        : list.current?.querySelector<HTMLElement>(
            `[data-edit="${target.endpointId}"]`,
          );
    (
      edit ??
      list.current?.querySelector<HTMLElement>(
        `[data-add="${target.boundary}"]`,
      )
    )?.focus();
  });
  if (editing !== null)
    return (
      <EndpointEditor
        key={editing.original ?? "new"}
        plan={plan}
        original={editing.original}
        initial={editing.endpoint}
        onClose={(endpointId) => {
          returnTo.current = {
            endpointId,
            boundary: editing.endpoint.boundary,
          };
          setEditing(null);
        }}
      />
    );
  return (
    <section
      aria-labelledby="endpoints-title"
      className="form-section"
      ref={list}
    >
      <h2 id="endpoints-title">Endpoints</h2>
      <p className="muted">
        What each boundary&apos;s checks probe. Cellcert probes only these hosts
        and ports — never a sweep.
      </p>
      {plan.boundaries.map((boundary) => {
        const endpoints = plan.endpoints.filter(
          (e) => e.boundary === boundary.id,
        );
        return (
          <section
            key={boundary.id}
            className="card"
            aria-labelledby={`ep-${boundary.id}`}
          >
            <h3 id={`ep-${boundary.id}`}>
              {boundary.id} · {boundaryDefinition(boundary.id).title}
              {!boundary.inScope && (
                <span className="muted"> (out of scope)</span>
              )}
            </h3>
            {endpoints.length === 0 ? (
              <p className="muted">No endpoint yet.</p>
            ) : (
              <ul className="plain-list endpoint-list">
                {endpoints.map((endpoint) =>
                  endpoint.retired === true ? (
                    <li
                      key={endpoint.id}
                      className="endpoint-row endpoint-retired"
                    >
                      <span className="endpoint-name">{endpoint.name}</span>
                      <span className="endpoint-address">
                        {describeAddress(endpoint)}
                      </span>
                      <span className="tag tag-muted">retired</span>
                      <span className="endpoint-note muted">
                        {retiredSentence(plan, endpoint)} Returning it to the
                        walk makes new runs probe it and counts it again.
                      </span>
                      <button
                        type="button"
                        className="button button-small"
                        data-edit={endpoint.id}
                        onClick={() => {
                          returnTo.current = {
                            endpointId: endpoint.id,
                            boundary: boundary.id,
                          };
                          void editPlan(returnEndpoint(endpoint.id));
                        }}
                      >
                        Return {endpoint.name} to the walk
                      </button>
                    </li>
                  ) : (
                    <li key={endpoint.id} className="endpoint-row">
                      <span className="endpoint-name">{endpoint.name}</span>
                      <span className="endpoint-address">
                        {describeAddress(endpoint)}
                      </span>
                      <span className="muted">
                        {KIND_LABELS[endpoint.kind]}
                      </span>
                      {endpoint.placeholder && (
                        <span className="tag tag-warn">
                          template placeholder: fill in its host
                        </span>
                      )}
                      {warningsAbout(
                        document,
                        "endpoints",
                        endpoint.id,
                        "clientIdentityId",
                      ).length > 0 && (
                        <span className="tag tag-warn">
                          no client identity chosen
                        </span>
                      )}
                      <button
                        type="button"
                        className="button button-small"
                        data-edit={endpoint.id}
                        onClick={() =>
                          setEditing({ original: endpoint.id, endpoint })
                        }
                      >
                        Edit {endpoint.name}
                      </button>
                    </li>
                  ),
                )}
              </ul>
            )}
            <button
              type="button"
              className="button button-small"
              data-add={boundary.id}
              onClick={() =>
                setEditing({
                  original: null,
                  endpoint: newEndpoint(plan, boundary.id),
                })
              }
            >
              Add an endpoint to {boundary.id}
            </button>
          </section>
        );
      })}
    </section>
  );
}

function describeAddress(endpoint: Endpoint): string {
  if (!kindHasField(endpoint.kind, "host"))
    return endpoint.guideline || "attested by the engineer";
  if (endpoint.port === undefined) return endpoint.host;
  return formatHostPort(endpoint.host, endpoint.port);
}

export interface Draft {
  id: string;
  name: string;
  boundary: BoundaryId;
  cell: string;
  kind: EndpointKind;
  host: string;
  port: string;
  serverName: string;
  paths: string;
  allowedPorts: string;
  deniedPorts: string;
  expect: "open" | "closed";
  trustAnchorIds: string[];
  publicRoots: boolean;
  clientIdentityId: string;
  credentialId: string;
  sqlInstance: string;
  appLogin: string;
  opcuaPath: string;
  guideline: string;
  notes: string;
}

export function toDraft(endpoint: Endpoint): Draft {
  return {
    id: endpoint.id,
    name: endpoint.name,
    boundary: endpoint.boundary,
    cell: endpoint.cell,
    kind: endpoint.kind,
    host: endpoint.host,
    port: endpoint.port === undefined ? "" : String(endpoint.port),
    serverName: endpoint.serverName,
    paths: endpoint.paths.join("\n"),
    allowedPorts: formatPortList(endpoint.allowedPorts),
    deniedPorts: formatPortList(endpoint.deniedPorts),
    expect: endpoint.expect,
    trustAnchorIds: endpoint.trustAnchorIds,
    publicRoots: endpoint.publicRoots,
    clientIdentityId: endpoint.clientIdentityId ?? "",
    credentialId: endpoint.credentialId ?? "",
    sqlInstance: endpoint.sqlInstance ?? "",
    appLogin: endpoint.appLogin ?? "",
    opcuaPath: endpoint.opcuaPath ?? "",
    guideline: endpoint.guideline,
    notes: endpoint.notes,
  };
}

/** The endpoint a draft describes, and the problems of typing the schema cannot see (a word in a port list). */
export function fromDraft(
  draft: Draft,
  initial: Endpoint,
): { endpoint: Endpoint; local: Record<string, string> } {
  const local: Record<string, string> = {};
  // Only what the kind shows is read, so a hidden field can never block saving.
  const has = (field: EndpointField): boolean =>
    kindHasField(draft.kind, field);
  const port = has("port")
    ? parseOptionalPort(draft.port)
    : { port: undefined, problem: null };
  if (port.problem !== null) local["/port"] = port.problem;
  const none = { ports: [], problem: null };
  const allowed = has("allowedPorts")
    ? parsePortList(draft.allowedPorts)
    : none;
  if (allowed.problem !== null) local["/allowedPorts"] = allowed.problem;
  const denied = has("deniedPorts") ? parsePortList(draft.deniedPorts) : none;
  if (denied.problem !== null) local["/deniedPorts"] = denied.problem;
  /** An optional field's text, when the kind has it and it is filled in. */
  const filled = (
    field:
      | "clientIdentityId"
      | "credentialId"
      | "sqlInstance"
      | "appLogin"
      | "opcuaPath",
  ): Partial<Endpoint> => {
    const value = draft[field].trim();
    return has(field) && value !== "" ? { [field]: value } : {};
  };
  const endpoint: Endpoint = {
    ...initial,
    id: draft.id.trim(),
    name: draft.name,
    boundary: draft.boundary,
    cell: draft.cell,
    kind: draft.kind,
    host: has("host") ? draft.host.trim() : "",
    serverName: draft.serverName.trim(),
    paths: parseLines(draft.paths),
    allowedPorts: allowed.ports,
    deniedPorts: denied.ports,
    expect: draft.expect,
    trustAnchorIds: draft.trustAnchorIds,
    publicRoots: draft.publicRoots,
    guideline: draft.guideline,
    notes: draft.notes,
    // Saved by a person: no longer the template's placeholder.
    placeholder: false,
  };
  const optional: Partial<Endpoint> = {
    ...(port.port !== undefined && { port: port.port }),
    ...filled("clientIdentityId"),
    ...filled("credentialId"),
    ...filled("sqlInstance"),
    ...filled("appLogin"),
    ...filled("opcuaPath"),
  };
  const {
    port: _port,
    clientIdentityId: _identity,
    credentialId: _credential,
    sqlInstance: _instance,
    appLogin: _login,
    opcuaPath: _path,
    ...required
  } = endpoint;
  return { endpoint: { ...required, ...optional }, local };
}

function EndpointEditor({
  plan,
  original,
  initial,
  onClose,
}: {
  plan: Plan;
  original: string | null;
  initial: Endpoint;
  /** The endpoint to return to (saved, or left as it was); null when there is none (removed, or never added). */
  onClose: (endpointId: string | null) => void;
}): ReactNode {
  const editPlan = useAppStore((state) => state.editPlan);
  const planError = useAppStore((state) => state.plan.error);
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [saving, setSaving] = useState(false);
  const { endpoint, local } = useMemo(
    () => fromDraft(draft, initial),
    [draft, initial],
  );
  const index =
    original === null
      ? plan.endpoints.length
      : plan.endpoints.findIndex((e) => e.id === original);
  const candidate = useMemo(
    () => putEndpoint(original, endpoint)(plan),
    [plan, original, endpoint],
  );
  const schemaProblems = useMemo(
    () =>
      planProblems(candidate).filter((p) =>
        p.pointer.startsWith(`/endpoints/${index}`),
      ),
    [candidate, index],
  );
  const at = (field: keyof Draft): string[] => [
    ...(local[`/${field}`] === undefined ? [] : [local[`/${field}`] ?? ""]),
    ...problemsAt(
      schemaProblems.map((p) => ({
        pointer: p.pointer.slice(`/endpoints/${index}`.length),
        reason: p.reason,
      })),
      `/${field}`,
    ),
  ];
  const valid = schemaProblems.length === 0 && Object.keys(local).length === 0;
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft({ ...draft, [key]: value });
  const text = (key: keyof Draft) => ({
    value: String(draft[key]),
    onChange: set(key) as (value: string) => void,
    problems: at(key),
  });
  const kind = draft.kind;
  /** Whether the chosen kind has the field (ENDPOINT_KIND_FIELDS): the one place the editor asks. */
  const shows = (field: EndpointField): boolean => kindHasField(kind, field);
  const clientIdentities = plan.identities.filter((i) => i.role === "client");
  const warnings = useMemo(
    () => draftEndpointWarnings(candidate, index),
    [candidate, index],
  );
  // Results of this endpoint in the plan's runs: removing it then retires it instead.
  const measuredIn = original === null ? [] : runsMeasuring(plan, original);
  const title = original === null ? "New endpoint" : `Edit ${initial.name}`;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <section aria-labelledby="endpoint-editor-title" className="form-section">
      <h2 id="endpoint-editor-title" tabIndex={-1} ref={heading}>
        {title}
      </h2>
      {initial.placeholder && (
        <p className="banner banner-info">
          This endpoint is still the template&apos;s placeholder. Fill in the
          real host; saving makes it part of the walk.
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid) return;
          setSaving(true);
          void editPlan(putEndpoint(original, endpoint)).then((accepted) => {
            setSaving(false);
            if (accepted) onClose(endpoint.id);
          });
        }}
      >
        <div className="form-grid">
          <TextField label="Name" {...text("name")} />
          <TextField
            label="Id"
            hint="Stable: results, waivers and attestations refer to it."
            readOnly={original !== null}
            {...text("id")}
          />
          <SelectField
            label="Boundary"
            value={draft.boundary}
            options={plan.boundaries.map((b) => ({
              value: b.id,
              label: `${b.id} · ${boundaryDefinition(b.id).title}`,
            }))}
            onChange={set("boundary")}
            problems={at("boundary")}
          />
          <SelectField
            label="Cell the endpoint lives in"
            value={draft.cell}
            options={plan.cells.map((c) => ({ value: c.id, label: c.name }))}
            onChange={set("cell")}
            problems={at("cell")}
          />
          <SelectField
            label="Kind"
            value={kind}
            options={endpointKinds.map((k) => ({
              value: k,
              label: KIND_LABELS[k],
            }))}
            onChange={set("kind")}
            problems={at("kind")}
          />
          {shows("host") && (
            <TextField
              label="Host"
              hint="A DNS name or an IP address."
              {...text("host")}
            />
          )}
          {shows("port") && (
            <TextField
              label="Port"
              inputMode="numeric"
              hint={
                kind === "mssql"
                  ? "Empty: 1433, or the named instance's port."
                  : undefined
              }
              {...text("port")}
            />
          )}
          {shows("serverName") && (
            <TextField
              label="SNI name"
              hint="The name the certificate must carry; empty: the host."
              {...text("serverName")}
            />
          )}
        </div>
        {shows("paths") && (
          <TextArea label="Paths (one per line)" rows={3} {...text("paths")} />
        )}
        <FieldGroup>
          {shows("allowedPorts") && (
            <TextField
              label="Allowed ports"
              hint="Must be open, e.g. 443, 8443."
              {...text("allowedPorts")}
            />
          )}
          {shows("deniedPorts") && (
            <TextField
              label="Denied ports"
              hint="Must be refused or filtered."
              {...text("deniedPorts")}
            />
          )}
          {shows("expect") && (
            <SelectField
              label="The port should be"
              value={draft.expect}
              options={[
                { value: "open", label: "open" },
                { value: "closed", label: "closed" },
              ]}
              onChange={set("expect")}
            />
          )}
        </FieldGroup>
        <FieldGroup>
          {shows("opcuaPath") && (
            <TextField
              label="Path (the /PATH of opc.tcp://host:port/PATH, if any)"
              {...text("opcuaPath")}
            />
          )}
        </FieldGroup>
        <FieldGroup>
          {shows("sqlInstance") && (
            <TextField label="Named instance" {...text("sqlInstance")} />
          )}
          {shows("appLogin") && (
            <TextField
              label="MES application's SQL login"
              {...text("appLogin")}
            />
          )}
          {shows("credentialId") && (
            <SelectField
              label="SQL credential"
              value={draft.credentialId}
              options={[
                { value: "", label: "None: the sql.* checks are not tested" },
                ...plan.credentials.map((c) => ({
                  value: c.id,
                  label: `${c.name} (${c.user})`,
                })),
              ]}
              onChange={set("credentialId")}
              problems={at("credentialId")}
            />
          )}
        </FieldGroup>
        {shows("clientIdentityId") && (
          <SelectField
            label="Client identity"
            hint={
              clientIdentities.length === 0
                ? "Import a client identity (PKCS#12) under Identities first."
                : undefined
            }
            value={draft.clientIdentityId}
            options={[
              { value: "", label: "None" },
              ...clientIdentities.map((i) => ({ value: i.id, label: i.name })),
            ]}
            onChange={set("clientIdentityId")}
            problems={at("clientIdentityId")}
          />
        )}
        {warnings.map((warning) => (
          <p key={warning} className="banner banner-warn">
            {warning}
          </p>
        ))}
        {shows("trustAnchorIds") && (
          <fieldset className="card">
            <legend>Trust anchors for this endpoint</legend>
            <p className="field-hint">
              None chosen: all of the plan&apos;s anchors.
            </p>
            {plan.trustAnchors.length === 0 && (
              <p className="muted">The plan has no trust anchors yet.</p>
            )}
            {plan.trustAnchors.map((anchor) => (
              <CheckboxField
                key={anchor.id}
                label={anchor.name}
                checked={draft.trustAnchorIds.includes(anchor.id)}
                onChange={(checked) =>
                  set("trustAnchorIds")(
                    checked
                      ? [...draft.trustAnchorIds, anchor.id]
                      : draft.trustAnchorIds.filter((id) => id !== anchor.id),
                  )
                }
              />
            ))}
            {shows("publicRoots") && (
              <CheckboxField
                label="Public roots may also anchor the chain"
                checked={draft.publicRoots}
                onChange={set("publicRoots")}
              />
            )}
            <FieldProblems problems={at("trustAnchorIds")} />
          </fieldset>
        )}
        {shows("guideline") && (
          <TextArea
            label="Guideline followed"
            hint="The back-end vendor's document and section."
            {...text("guideline")}
          />
        )}
        <TextArea label="Notes" rows={2} {...text("notes")} />
        {!valid && (
          <p className="banner banner-error" role="status">
            Fix the fields marked above to save this endpoint.
          </p>
        )}
        <Problem text={planError} />
        <div className="actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={!valid || saving}
          >
            Save the endpoint
          </button>
          <button
            type="button"
            className="button"
            onClick={() => onClose(original)}
          >
            Cancel
          </button>
          {original !== null && (
            <button
              type="button"
              className="button button-danger"
              aria-describedby={
                measuredIn.length > 0 ? "endpoint-retire-note" : undefined
              }
              onClick={() => {
                void editPlan(removeEndpoint(original)).then((ok) => {
                  // A retired endpoint stays in the list: focus goes back to it.
                  if (ok) onClose(measuredIn.length > 0 ? original : null);
                });
              }}
            >
              {measuredIn.length > 0
                ? "Retire the endpoint"
                : "Remove the endpoint"}
            </button>
          )}
        </div>
        {original !== null && measuredIn.length > 0 && (
          <p id="endpoint-retire-note" className="muted">
            It has results in run {measuredIn.join(", ")}, so it is retired
            rather than removed: those results stay in their runs and the
            evidence, and new runs and the verdict leave it out.
          </p>
        )}
      </form>
    </section>
  );
}

/** A grid of the fields a kind shows together; nothing at all when it shows none of them. */
function FieldGroup({ children }: { children: ReactNode }): ReactNode {
  if (Children.toArray(children).length === 0) return null;
  return <div className="form-grid">{children}</div>;
}

function FieldProblems({ problems }: { problems: string[] }): ReactNode {
  if (problems.length === 0) return null;
  return <p className="field-problem">{problems.join(" ")}</p>;
}
