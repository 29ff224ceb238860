// Identities: import a PKCS#12 file (client identity for mTLS, or the engineer's signing identity), or create
// the engineer's identity (optionally from a new commissioning CA whose PEM goes to the customer).
import { useState, type ReactNode } from "react";
import type { FileSource } from "../../../shared/contract/schemas";
import { downloadText, uploadSource } from "../lib/files";
import { useAppStore } from "../store/context";
import {
  CheckboxField,
  FieldFrame,
  Notice,
  Problem,
  SelectField,
  TextField,
} from "./Field";
import { FilePicker } from "./FilePicker";
import {
  ASK_EACH_SESSION,
  SecretRefField,
  secretRefFor,
  secretRefProblem,
  type SecretWay,
} from "./SecretRefField";

function PasswordField({
  label,
  value,
  onChange,
  problems,
  autoComplete = "new-password",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problems?: string[];
  autoComplete?: string;
}): ReactNode {
  return (
    <FieldFrame label={label} problems={problems}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="password"
          autoComplete={autoComplete}
          value={value}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldFrame>
  );
}

export function ImportIdentityForm({
  defaultRole,
  again,
}: {
  defaultRole: "client" | "engineer";
  /** A client identity of the earlier certificate imported again (re-audit): its endpoints are linked to it. */
  again?: { id: string; name: string };
}): ReactNode {
  const desktop = useAppStore((state) => state.about.info?.mode === "desktop");
  const busy = useAppStore((state) => state.documents.busy === "identity");
  const error = useAppStore((state) => state.documents.identityError);
  const notice = useAppStore((state) => state.documents.identityNotice);
  const importIdentity = useAppStore((state) => state.importIdentity);
  const [role, setRole] = useState(defaultRole);
  const [name, setName] = useState(again?.name ?? "");
  const [upload, setUpload] = useState<FileSource | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [secretWay, setSecretWay] = useState<SecretWay>(ASK_EACH_SESSION);
  const [tried, setTried] = useState(false);
  const ref = secretRefFor(secretWay, name || role);
  const titleId =
    again === undefined ? "import-identity-title" : `import-again-${again.id}`;
  const problems = {
    name: name.trim() === "" ? ["The identity's name is required."] : [],
    file: !desktop && upload === null ? ["Choose the PKCS#12 file."] : [],
    passphrase: passphrase === "" ? ["Enter the file's passphrase."] : [],
    ref: secretRefProblem(ref),
  };
  const valid =
    problems.name.length + problems.file.length + problems.passphrase.length ===
      0 && problems.ref === null;
  const show = (list: string[]): string[] => (tried ? list : []);
  return (
    <form
      className="card"
      aria-labelledby={titleId}
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (!valid) return;
        void importIdentity({
          role,
          name: name.trim(),
          source: desktop ? { kind: "dialog" } : (upload ?? { kind: "dialog" }),
          passphraseRef: ref,
          passphrase,
          remember: secretWay.way === "keychain",
          ...(again !== undefined && { replaces: again.id }),
        }).then((ok) => {
          if (ok) {
            setName("");
            setPassphrase("");
            setUpload(null);
            setTried(false);
          }
        });
      }}
    >
      <h3 id={titleId}>
        {again === undefined
          ? "Import a PKCS#12 identity"
          : `Import “${again.name}” again`}
      </h3>
      <div className="form-grid">
        <SelectField
          label="Role"
          value={role}
          options={[
            {
              value: "client",
              label:
                "Client identity (for endpoints that want client certificates)",
            },
            { value: "engineer", label: "Engineer's signing identity" },
          ]}
          onChange={setRole}
        />
        <TextField
          label="Identity name"
          value={name}
          onChange={setName}
          problems={show(problems.name)}
        />
      </div>
      {!desktop && (
        <FieldFrame label="PKCS#12 file" problems={show(problems.file)}>
          {() => (
            <FilePicker
              label={
                upload === null
                  ? "Choose the .p12 or .pfx file…"
                  : `Chosen: ${upload.kind === "upload" ? upload.fileName : ""} — choose another…`
              }
              accept=".p12,.pfx"
              dropHint="or drop it here"
              onFile={(file) => void uploadSource(file).then(setUpload)}
            />
          )}
        </FieldFrame>
      )}
      <div className="form-grid">
        <PasswordField
          label="The file's passphrase"
          value={passphrase}
          onChange={setPassphrase}
          autoComplete="off"
          problems={show(problems.passphrase)}
        />
        <SecretRefField
          label="Later, find the passphrase by"
          desktop={desktop}
          value={secretWay}
          onChange={setSecretWay}
          problem={tried ? problems.ref : null}
        />
      </div>
      <Problem text={error} />
      <Notice text={notice} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {desktop ? "Choose the file and import" : "Import the identity"}
      </button>
    </form>
  );
}

export function CreateIdentityForm({
  defaultName,
  defaultCompany,
}: {
  defaultName: string;
  defaultCompany: string;
}): ReactNode {
  const desktop = useAppStore((state) => state.about.info?.mode === "desktop");
  const busy = useAppStore((state) => state.documents.busy === "identity");
  const error = useAppStore((state) => state.documents.identityError);
  const notice = useAppStore((state) => state.documents.identityNotice);
  const createIdentity = useAppStore((state) => state.createIdentity);
  const [name, setName] = useState(defaultName);
  const [company, setCompany] = useState(defaultCompany);
  const [email, setEmail] = useState("");
  const [country, setCountry] = useState("");
  const [validityDays, setValidityDays] = useState("1095");
  const [withCa, setWithCa] = useState(true);
  const [passphrase, setPassphrase] = useState("");
  const [repeat, setRepeat] = useState("");
  const [secretWay, setSecretWay] = useState<SecretWay>(ASK_EACH_SESSION);
  const [tried, setTried] = useState(false);
  const ref = secretRefFor(secretWay, `${name || "engineer"}-signing`);
  const days = Number(validityDays);
  const problems = {
    name: name.trim() === "" ? ["Your full name is required."] : [],
    company: company.trim() === "" ? ["The company is required."] : [],
    email:
      email.trim() !== "" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())
        ? ["Enter an e-mail address like name@company.example."]
        : [],
    country:
      country.trim() !== "" && !/^[A-Z]{2}$/.test(country.trim())
        ? ["Two capital letters, like DE."]
        : [],
    validity:
      !/^\d+$/.test(validityDays) || days < 30 || days > 3650
        ? ["Enter 30 to 3650 days."]
        : [],
    passphrase: passphrase.length < 8 ? ["At least 8 characters."] : [],
    repeat: repeat !== passphrase ? ["The two passphrases differ."] : [],
    ref: secretRefProblem(ref),
  };
  const valid = Object.values(problems).every(
    (p) => p === null || p.length === 0,
  );
  const show = (list: string[]): string[] => (tried ? list : []);
  return (
    <form
      className="card"
      aria-labelledby="create-identity-title"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (!valid) return;
        void createIdentity({
          name: name.trim(),
          company: company.trim(),
          ...(email.trim() !== "" && { email: email.trim() }),
          ...(country.trim() !== "" && { country: country.trim() }),
          validityDays: days,
          withCommissioningCa: withCa,
          passphraseRef: ref,
          passphrase,
          remember: secretWay.way === "keychain",
        }).then((ok) => {
          if (ok) {
            setPassphrase("");
            setRepeat("");
            setTried(false);
          }
        });
      }}
    >
      <h3 id="create-identity-title">
        Create the engineer&apos;s signing identity
      </h3>
      <div className="form-grid">
        <TextField
          label="Engineer's full name"
          value={name}
          onChange={setName}
          autoComplete="name"
          problems={show(problems.name)}
        />
        <TextField
          label="Company"
          value={company}
          onChange={setCompany}
          autoComplete="organization"
          problems={show(problems.company)}
        />
        <TextField
          label="E-mail (optional)"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="email"
          problems={show(problems.email)}
        />
        <TextField
          label="Country code (optional)"
          value={country}
          onChange={setCountry}
          problems={show(problems.country)}
        />
        <TextField
          label="Valid for (days)"
          inputMode="numeric"
          value={validityDays}
          onChange={setValidityDays}
          problems={show(problems.validity)}
        />
      </div>
      <CheckboxField
        label="Issue it from a new commissioning CA"
        hint="The customer keeps the CA's certificate to check that certificates come from you."
        checked={withCa}
        onChange={setWithCa}
      />
      <div className="form-grid">
        <PasswordField
          label="New passphrase"
          value={passphrase}
          onChange={setPassphrase}
          problems={show(problems.passphrase)}
        />
        <PasswordField
          label="The passphrase again"
          value={repeat}
          onChange={setRepeat}
          problems={show(problems.repeat)}
        />
        <SecretRefField
          label="Later, find the passphrase by"
          desktop={desktop}
          value={secretWay}
          onChange={setSecretWay}
          problem={tried ? problems.ref : null}
        />
      </div>
      <Problem text={error} />
      <Notice text={notice} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Creating…" : "Create the identity"}
      </button>
    </form>
  );
}

/** The commissioning CA made with the last engineer identity, to hand to the customer; nothing otherwise. */
export function CommissioningCaHandover(): ReactNode {
  const caPem = useAppStore((state) => state.documents.caPem);
  return caPem === null ? null : <CommissioningCa pem={caPem} />;
}

function CommissioningCa({ pem }: { pem: string }): ReactNode {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="ca-title">
      <h4 id="ca-title">The commissioning CA for the customer</h4>
      <p>
        Hand this certificate to the customer: it lets anyone check that a
        certificate was signed by you.
      </p>
      <pre className="pem" tabIndex={0} aria-label="The CA certificate (PEM)">
        {pem}
      </pre>
      <div className="actions">
        <button
          type="button"
          className="button"
          onClick={() => downloadText("commissioning-ca.pem", pem)}
        >
          Save the CA certificate (PEM)
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            const clipboard = navigator.clipboard as Clipboard | undefined;
            if (clipboard === undefined) return;
            clipboard.writeText(pem).then(
              () => setCopied("Copied."),
              () => setCopied("The browser refused the clipboard."),
            );
          }}
        >
          Copy the CA certificate
        </button>
        <span role="status" className="muted">
          {copied}
        </span>
      </div>
    </section>
  );
}
