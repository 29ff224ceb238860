// Cells with their networks, the boundaries between them (in scope or why not), and where each vantage
// probes from. Fields are sent when left; the schema's sentences show beside the field.
import { useState, type ReactNode } from "react";
import { boundaryDefinition } from "../../../../shared/catalog/catalog";
import {
  Cell,
  IpAddress,
  type Boundary,
  type Plan,
  type Vantage,
} from "../../../../shared/model/plan";
import { cellKinds, type CellKind } from "../../../../shared/plant-words";
import {
  CheckboxField,
  Problem,
  SelectField,
  TextArea,
  TextField,
} from "../../components/Field";
import { checkFields } from "../../lib/field-problems";
import { parseLines } from "../../lib/form-values";
import { useAppStore } from "../../store/context";
import { warningsAbout } from "../../store/setup-warnings";
import {
  addCell,
  problemsAt,
  removeCell,
  setBoundary,
  setCell,
  setVantage,
} from "../../store/plan-edits";

export function CellsSection({ plan }: { plan: Plan }): ReactNode {
  return (
    <section aria-labelledby="cells-title" className="form-section">
      <h2 id="cells-title">Cells and boundaries</h2>
      <p className="muted">
        Give each cell its networks (CIDR): a run warns when the laptop&apos;s
        address is not in the cell it stands in.
      </p>
      <h3>Cells</h3>
      {plan.cells.map((cell) => (
        <CellEditor key={cell.id} cell={cell} plan={plan} />
      ))}
      <AddCell />
      <h3>Boundaries</h3>
      {plan.boundaries.map((boundary) => (
        <BoundaryEditor key={boundary.id} boundary={boundary} plan={plan} />
      ))}
      <h3>Vantages</h3>
      <p className="muted">
        Where the laptop stands. With one network card per cell, name the
        address each vantage probes from.
      </p>
      {plan.vantages.map((vantage) => (
        <VantageEditor key={vantage.id} vantage={vantage} plan={plan} />
      ))}
    </section>
  );
}

function CellEditor({ cell, plan }: { cell: Cell; plan: Plan }): ReactNode {
  const editPlan = useAppStore((state) => state.editPlan);
  // Overlapping networks (the plan's warnings): beside the networks they are about.
  const document = useAppStore((state) => state.plan.document);
  const overlaps = warningsAbout(document, "cells", cell.id, "networks");
  const [name, setName] = useState(cell.name);
  const [networks, setNetworks] = useState(cell.networks.join("\n"));
  const [notes, setNotes] = useState(cell.notes);
  const [triedRemove, setTriedRemove] = useState(false);
  const candidate = { ...cell, name, networks: parseLines(networks), notes };
  const parsed = checkFields(Cell, candidate);
  const problems = parsed.problems;
  const commit = (): void => {
    if (parsed.success && JSON.stringify(parsed.data) !== JSON.stringify(cell))
      void editPlan(setCell(cell.id, parsed.data));
  };
  const users = [
    ...plan.boundaries
      .filter((b) => b.from === cell.id || b.to === cell.id)
      .map((b) => `boundary ${b.id}`),
    ...plan.endpoints
      .filter((e) => e.cell === cell.id)
      .map((e) => `endpoint "${e.name}"`),
    ...plan.vantages
      .filter((v) => v.cell === cell.id)
      .map((v) => `vantage ${v.id}`),
  ];
  return (
    <fieldset className="card">
      <legend>
        {cell.name} <span className="muted">({cell.kind})</span>
      </legend>
      <div className="form-grid">
        <TextField
          label="Name"
          value={name}
          onChange={setName}
          onCommit={commit}
          problems={problemsAt(problems, "/name")}
        />
        <TextArea
          label="Networks (CIDR, one per line)"
          value={networks}
          onChange={setNetworks}
          onCommit={commit}
          rows={2}
          problems={problemsAt(problems, "/networks")}
        />
      </div>
      {overlaps.map((warning) => (
        <p key={warning} className="banner banner-warn">
          {warning}
        </p>
      ))}
      <TextArea
        label="Notes"
        value={notes}
        onChange={setNotes}
        onCommit={commit}
        rows={2}
      />
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          setTriedRemove(true);
          if (users.length === 0) void editPlan(removeCell(cell.id));
        }}
      >
        Remove the {cell.name} cell
      </button>
      {/* Said from what still uses the cell now, so it goes when the last of them does. */}
      <Problem
        text={
          triedRemove && users.length > 0
            ? `The ${cell.name} cell is still used by ${users.join(", ")}; change those first.`
            : null
        }
      />
    </fieldset>
  );
}

function AddCell(): ReactNode {
  const editPlan = useAppStore((state) => state.editPlan);
  const [kind, setKind] = useState<CellKind>("mes");
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="card form-inline"
      aria-label="Add a cell"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim() === "") {
          setProblem("The cell's name is required.");
          return;
        }
        setProblem(null);
        void editPlan(addCell(kind, name.trim()));
        setName("");
      }}
    >
      <SelectField
        label="Kind of cell"
        value={kind}
        options={cellKinds.map((k) => ({ value: k, label: k }))}
        onChange={setKind}
      />
      <TextField
        label="New cell's name"
        value={name}
        onChange={setName}
        problems={problem === null ? [] : [problem]}
      />
      <button type="submit" className="button">
        Add the cell
      </button>
    </form>
  );
}

function BoundaryEditor({
  boundary,
  plan,
}: {
  boundary: Boundary;
  plan: Plan;
}): ReactNode {
  const editPlan = useAppStore((state) => state.editPlan);
  const definition = boundaryDefinition(boundary.id);
  const [reason, setReason] = useState(boundary.outOfScopeReason);
  const cellName = (id: string): string =>
    plan.cells.find((c) => c.id === id)?.name ?? id;
  return (
    <fieldset className="card">
      <legend>
        {boundary.id} · {definition.title}
      </legend>
      <p className="muted">
        {cellName(boundary.from)} ↔ {cellName(boundary.to)}:{" "}
        {definition.protection}
      </p>
      <CheckboxField
        label={`${boundary.id} is in scope`}
        checked={boundary.inScope}
        onChange={(inScope) =>
          void editPlan(setBoundary(boundary.id, { inScope }))
        }
      />
      {!boundary.inScope && (
        <TextArea
          label={`Why ${boundary.id} is out of scope (printed on the certificate)`}
          value={reason}
          onChange={setReason}
          onCommit={() => {
            if (reason !== boundary.outOfScopeReason)
              void editPlan(
                setBoundary(boundary.id, { outOfScopeReason: reason }),
              );
          }}
          rows={2}
        />
      )}
    </fieldset>
  );
}

function VantageEditor({
  vantage,
  plan,
}: {
  vantage: Vantage;
  plan: Plan;
}): ReactNode {
  const editPlan = useAppStore((state) => state.editPlan);
  const [source, setSource] = useState(vantage.sourceAddress ?? "");
  const problems =
    source.trim() === ""
      ? []
      : checkFields(IpAddress, source).problems.map((p) => p.reason);
  const [networkCard, setNetworkCard] = useState(vantage.interface ?? "");
  const cardProblems =
    networkCard.length > 64 ? ["At most 64 characters."] : [];
  const cell = plan.cells.find((c) => c.id === vantage.cell);
  return (
    <div className="card">
      <TextField
        label={`Source address for the ${vantage.id} vantage (${cell?.name ?? vantage.cell} cell)`}
        hint="Empty: the network card below decides, or the system when none is named."
        value={source}
        onChange={setSource}
        problems={problems}
        onCommit={() => {
          if (problems.length > 0) return;
          const next = source.trim();
          if (next !== (vantage.sourceAddress ?? ""))
            void editPlan(setVantage(vantage.id, { sourceAddress: next }));
        }}
      />
      <TextField
        label={`Network card for the ${vantage.id} vantage`}
        hint="Its name as the laptop shows it (eth1, Ethernet 2). Probes leave from its address; a source address above wins."
        value={networkCard}
        onChange={setNetworkCard}
        problems={cardProblems}
        onCommit={() => {
          if (cardProblems.length > 0) return;
          const next = networkCard.trim();
          if (next !== (vantage.interface ?? ""))
            void editPlan(setVantage(vantage.id, { interface: next }));
        }}
      />
    </div>
  );
}
