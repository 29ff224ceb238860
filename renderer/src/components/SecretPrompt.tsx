// Asks for one secret the engine cannot find (a passphrase or a SQL password) and hands it to the engine.
import { useState, type ReactNode } from "react";
import type { SecretStatus } from "../../../shared/contract/schemas";
import { ownerKey } from "../store/secrets-slice";
import { useAppStore } from "../store/context";
import { CheckboxField, FieldFrame } from "./Field";

export function SecretPrompt({
  secret,
}: {
  secret: SecretStatus[number];
}): ReactNode {
  const provide = useAppStore((state) => state.provideSecret);
  const problem = useAppStore(
    (state) => state.secrets.provideErrors[ownerKey(secret.owner)],
  );
  const desktop = useAppStore((state) => state.about.info?.mode === "desktop");
  const [value, setValue] = useState("");
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const what = secret.owner.kind === "identity" ? "Passphrase" : "Password";
  return (
    <form
      className="secret-prompt"
      onSubmit={(event) => {
        event.preventDefault();
        if (value === "") return;
        setBusy(true);
        void provide(secret.owner, value, remember).then((ok) => {
          setBusy(false);
          if (ok) setValue("");
        });
      }}
    >
      <FieldFrame
        label={`${what} of ${secret.owner.label}`}
        hint={`Not available: ${secret.detail}.`}
        problems={problem === undefined ? [] : [problem]}
      >
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            type="password"
            autoComplete="off"
            value={value}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            onChange={(event) => setValue(event.target.value)}
          />
        )}
      </FieldFrame>
      {desktop && secret.ref.startsWith("keychain:") && (
        <CheckboxField
          label="Remember it in this computer's keychain"
          checked={remember}
          onChange={setRemember}
        />
      )}
      <button type="submit" className="button" disabled={busy || value === ""}>
        Use this {what.toLowerCase()}
      </button>
    </form>
  );
}

/** Every secret the engine cannot find yet, each with its prompt; nothing when all are there. */
export function MissingSecrets({
  owners,
}: {
  /** Only these owners (`kind:id`); all when absent. */
  owners?: readonly string[];
}): ReactNode {
  const status = useAppStore((state) => state.secrets.status);
  const missing = (status ?? []).filter(
    (s) =>
      !s.available &&
      (owners === undefined || owners.includes(ownerKey(s.owner))),
  );
  if (missing.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="secrets-title">
      <h3 id="secrets-title">Secrets to enter</h3>
      <p>
        Cellcert keeps secrets out of the plan: enter them for as long as this
        plan is open.
      </p>
      {missing.map((secret) => (
        <SecretPrompt key={ownerKey(secret.owner)} secret={secret} />
      ))}
    </section>
  );
}
