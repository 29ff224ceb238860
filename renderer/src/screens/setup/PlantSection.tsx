// Plant data: name, site, customer, order, the days on site, notes. Each field is sent when it is left.
import { useState, type ReactNode } from "react";
import { PlantData, type Plan } from "../../../../shared/model/plan";
import { TextArea, TextField } from "../../components/Field";
import { checkFields } from "../../lib/field-problems";
import { useAppStore } from "../../store/context";
import { problemsAt, setPlant } from "../../store/plan-edits";

export function PlantSection({ plan }: { plan: Plan }): ReactNode {
  const editPlan = useAppStore((state) => state.editPlan);
  const [draft, setDraft] = useState({
    name: plan.plant.name,
    site: plan.plant.site,
    customer: plan.plant.customer,
    orderNumber: plan.plant.orderNumber,
    startDate: plan.plant.startDate ?? "",
    endDate: plan.plant.endDate ?? "",
    notes: plan.plant.notes,
  });
  const candidate = {
    ...draft,
    startDate: draft.startDate === "" ? undefined : draft.startDate,
    endDate: draft.endDate === "" ? undefined : draft.endDate,
  };
  const parsed = checkFields(PlantData, candidate);
  const problems = parsed.problems;
  const commit = (): void => {
    if (!parsed.success) return;
    // Both follow the schema's key order, so their JSON compares field by field.
    const changed = JSON.stringify(parsed.data) !== JSON.stringify(plan.plant);
    if (changed) void editPlan(setPlant(parsed.data));
  };
  const field = (key: keyof typeof draft) => ({
    value: draft[key],
    onChange: (value: string) => setDraft({ ...draft, [key]: value }),
    onCommit: commit,
    problems: problemsAt(problems, `/${key}`),
  });
  return (
    <section aria-labelledby="plant-title" className="form-section">
      <h2 id="plant-title">Plant data</h2>
      <p className="muted">
        Printed on the certificate. Each field is kept as soon as you leave it.
      </p>
      <div className="form-grid">
        <TextField label="Plant name" {...field("name")} />
        <TextField label="Site" {...field("site")} />
        <TextField label="Customer" {...field("customer")} />
        <TextField label="Order number" {...field("orderNumber")} />
        <TextField
          label="First day on site"
          type="date"
          {...field("startDate")}
        />
        <TextField label="Last day on site" type="date" {...field("endDate")} />
      </div>
      <TextArea label="Notes" {...field("notes")} />
    </section>
  );
}
