// SQL credentials: a login and how its password is found (never the password itself), for APP-DB's sql.* checks.
import { useState, type ReactNode } from "react";
import { SqlCredential, type Plan } from "../../../../shared/model/plan";
import { uniqueSlug } from "../../../../shared/model/slug";
import { Problem, TextField } from "../../components/Field";
import { MissingSecrets } from "../../components/SecretPrompt";
import {
  ASK_EACH_SESSION,
  SecretRefField,
  secretRefFor,
  secretRefWords,
  type SecretWay,
} from "../../components/SecretRefField";
import { checkFields } from "../../lib/field-problems";
import { useAppStore } from "../../store/context";
import {
  problemsAt,
  putCredential,
  removeCredential,
} from "../../store/plan-edits";

export function CredentialsSection({ plan }: { plan: Plan }): ReactNode {
  const editPlan = useAppStore((state) => state.editPlan);
  const desktop = useAppStore((state) => state.about.info?.mode === "desktop");
  const planError = useAppStore((state) => state.plan.error);
  const [name, setName] = useState("");
  const [user, setUser] = useState("");
  const [secretWay, setSecretWay] = useState<SecretWay>(ASK_EACH_SESSION);
  const [tried, setTried] = useState(false);
  const candidate = {
    id: uniqueSlug(
      name || user,
      "credential",
      new Set(plan.credentials.map((c) => c.id)),
    ),
    name,
    user,
    password: secretRefFor(secretWay, `${name || user}-sql`),
  };
  const parsed = checkFields(SqlCredential, candidate);
  const problems = tried ? parsed.problems : [];
  return (
    <section aria-labelledby="credentials-title" className="form-section">
      <h2 id="credentials-title">SQL credentials</h2>
      <p className="muted">
        A SQL login lets the APP-DB checks look inside the session (encryption,
        authentication, mixed mode). Without one those checks are not tested.
      </p>
      {plan.credentials.length === 0 ? (
        <p className="muted">No SQL credential yet.</p>
      ) : (
        <ul className="plain-list">
          {plan.credentials.map((credential) => (
            <li key={credential.id} className="card row">
              <span>
                <strong>{credential.name}</strong> — login {credential.user},
                password {secretRefWords(credential.password)}
              </span>
              <button
                type="button"
                className="button button-small"
                onClick={() => void editPlan(removeCredential(credential.id))}
              >
                Remove {credential.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <MissingSecrets
        owners={plan.credentials.map((c) => `credential:${c.id}`)}
      />
      <form
        className="card"
        aria-labelledby="add-credential-title"
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          if (!parsed.success) return;
          void editPlan(putCredential(null, parsed.data)).then((ok) => {
            if (ok) {
              setName("");
              setUser("");
              setTried(false);
            }
          });
        }}
      >
        <h3 id="add-credential-title">Add a SQL credential</h3>
        <div className="form-grid">
          <TextField
            label="Credential name"
            value={name}
            onChange={setName}
            problems={problemsAt(problems, "/name")}
          />
          <TextField
            label="SQL login"
            value={user}
            onChange={setUser}
            autoComplete="off"
            problems={problemsAt(problems, "/user")}
          />
          <SecretRefField
            label="Find the password by"
            desktop={desktop}
            value={secretWay}
            onChange={setSecretWay}
            problem={problemsAt(problems, "/password")[0] ?? null}
          />
        </div>
        <Problem text={planError} />
        <button type="submit" className="button button-primary">
          Add the credential
        </button>
      </form>
    </section>
  );
}
