// The plan's policy: it may only make DESIGN §3's thresholds stricter (the schema says where the floor is).
import { useState, type ReactNode } from "react";
import { Policy, type Plan } from "../../../../shared/model/plan";
import { SelectField, TextArea, TextField } from "../../components/Field";
import { checkFields } from "../../lib/field-problems";
import { parseLines } from "../../lib/form-values";
import { useAppStore } from "../../store/context";
import { problemsAt, setPolicy } from "../../store/plan-edits";

const NUMBER_FIELDS = [
  [
    "headroomDays",
    "Certificate headroom (days)",
    "Warn when a certificate expires within this many days; at least 30.",
  ],
  [
    "reauditMonths",
    "Re-audit interval (months)",
    "The next audit date on the certificate.",
  ],
  [
    "plainHttpPort",
    "Plain HTTP port",
    "Where plain HTTP is tried next to each HTTPS endpoint.",
  ],
  ["timeoutMs", "Timeout per connection (ms)", "500 to 30000."],
  [
    "maxConnectionsPerHost",
    "Connections per host at most",
    "1 or 2: fragile devices.",
  ],
  ["maxConnections", "Connections overall at most", "1 to 16."],
] as const;

type NumberKey = (typeof NUMBER_FIELDS)[number][0];

export function PolicySection({ plan }: { plan: Plan }): ReactNode {
  const editPlan = useAppStore((state) => state.editPlan);
  const [numbers, setNumbers] = useState<Record<NumberKey, string>>(
    () =>
      Object.fromEntries(
        NUMBER_FIELDS.map(([key]) => [key, String(plan.policy[key])]),
      ) as Record<NumberKey, string>,
  );
  const [redirectHosts, setRedirectHosts] = useState(
    plan.policy.allowedRedirectHosts.join("\n"),
  );
  const [timestampAuthority, setTimestampAuthority] = useState(
    plan.policy.timestampAuthority ?? "",
  );
  const candidate = {
    ...plan.policy,
    ...Object.fromEntries(
      NUMBER_FIELDS.map(([key]) => [
        key,
        /^\d+$/.test(numbers[key].trim()) ? Number(numbers[key]) : numbers[key],
      ]),
    ),
    allowedRedirectHosts: parseLines(redirectHosts),
    // Empty: no time-stamping authority (present as undefined, so the edit takes an old one away).
    timestampAuthority:
      timestampAuthority.trim() === "" ? undefined : timestampAuthority.trim(),
  };
  const parsed = checkFields(Policy, candidate);
  const problems = parsed.problems;
  const commit = (): void => {
    if (
      parsed.success &&
      JSON.stringify(parsed.data) !== JSON.stringify(plan.policy)
    )
      void editPlan(setPolicy(parsed.data));
  };
  return (
    <section aria-labelledby="policy-title" className="form-section">
      <h2 id="policy-title">Policy</h2>
      <p className="muted">
        The plan may make the thresholds stricter, never looser.
      </p>
      <div className="form-grid">
        {NUMBER_FIELDS.map(([key, label, hint]) => (
          <TextField
            key={key}
            label={label}
            hint={hint}
            inputMode="numeric"
            value={numbers[key]}
            onChange={(value) => setNumbers({ ...numbers, [key]: value })}
            onCommit={commit}
            problems={problemsAt(problems, `/${key}`)}
          />
        ))}
        <SelectField
          label="Lowest TLS version accepted"
          value={plan.policy.minimumTlsVersion}
          options={[
            { value: "TLSv1.2", label: "TLS 1.2" },
            { value: "TLSv1.3", label: "TLS 1.3 (stricter)" },
          ]}
          onChange={(minimumTlsVersion) =>
            void editPlan(setPolicy({ minimumTlsVersion }))
          }
        />
      </div>
      <TextArea
        label="Other hosts an HTTPS redirect may lead to (one per line)"
        value={redirectHosts}
        onChange={setRedirectHosts}
        onCommit={commit}
        rows={2}
        problems={problemsAt(problems, "/allowedRedirectHosts")}
      />
      <TextField
        label="Time-stamping authority (RFC 3161)"
        hint="The plant's TSA as http://host[:port]/path. When set, every certificate's signature is time-stamped by it when you sign (PAdES B-T); if it does not answer, nothing is signed. Empty: the signing time is the laptop's clock."
        value={timestampAuthority}
        onChange={setTimestampAuthority}
        onCommit={commit}
        inputMode="url"
        problems={problemsAt(problems, "/timestampAuthority")}
      />
    </section>
  );
}
