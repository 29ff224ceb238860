// Labelled form fields with inline problems (the engine's and the schema's sentences) next to them.
import {
  useId,
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
} from "react";

interface FieldFrameProps {
  label: string;
  hint?: ReactNode;
  problems?: readonly string[];
  children: (ids: {
    id: string;
    describedBy: string | undefined;
    invalid: boolean;
  }) => ReactNode;
}

export function FieldFrame({
  label,
  hint,
  problems = [],
  children,
}: FieldFrameProps): ReactNode {
  const id = useId();
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  const invalid = problems.length > 0;
  const describedBy =
    [hint !== undefined ? hintId : null, invalid ? problemId : null]
      .filter((part) => part !== null)
      .join(" ") || undefined;
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, describedBy, invalid })}
      {invalid && (
        <p className="field-problem" id={problemId}>
          {problems.join(" ")}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "onChange" | "value" | "id"
>;

export function TextField({
  label,
  hint,
  problems,
  value,
  onChange,
  onCommit,
  ...rest
}: {
  label: string;
  hint?: ReactNode;
  problems?: readonly string[];
  value: string;
  onChange: (value: string) => void;
  /** Leaving the field (or Enter) commits what was typed. */
  onCommit?: () => void;
} & InputProps): ReactNode {
  return (
    <FieldFrame label={label} hint={hint} problems={problems}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type="text"
          value={value}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event: ChangeEvent<HTMLInputElement>) =>
            onChange(event.target.value)
          }
          onBlur={onCommit}
          onKeyDown={(event) => {
            if (event.key === "Enter" && onCommit !== undefined) onCommit();
          }}
          {...rest}
        />
      )}
    </FieldFrame>
  );
}

export function TextArea({
  label,
  hint,
  problems,
  value,
  onChange,
  onCommit,
  rows = 3,
  autoFocus = false,
}: {
  label: string;
  hint?: ReactNode;
  problems?: readonly string[];
  value: string;
  onChange: (value: string) => void;
  onCommit?: () => void;
  rows?: number;
  /** Takes focus when it appears (the first field of a form just opened). */
  autoFocus?: boolean;
}): ReactNode {
  return (
    <FieldFrame label={label} hint={hint} problems={problems}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          rows={rows}
          autoFocus={autoFocus}
          value={value}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
          onBlur={onCommit}
        />
      )}
    </FieldFrame>
  );
}

export function SelectField<T extends string>({
  label,
  hint,
  problems,
  value,
  options,
  onChange,
}: {
  label: string;
  hint?: ReactNode;
  problems?: readonly string[];
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}): ReactNode {
  return (
    <FieldFrame label={label} hint={hint} problems={problems}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          value={value}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event) => {
            const chosen = options.find((o) => o.value === event.target.value);
            if (chosen !== undefined) onChange(chosen.value);
          }}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function CheckboxField({
  label,
  hint,
  checked,
  onChange,
}: {
  label: string;
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
}): ReactNode {
  const id = useId();
  return (
    <div className="field field-checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
      />
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** A problem the engine reported for an action, shown where the action is. */
export function Problem({
  text,
}: {
  text: string | null | undefined;
}): ReactNode {
  if (text === null || text === undefined || text === "") return null;
  return (
    <p role="alert" className="banner banner-error">
      {text}
    </p>
  );
}

export function Notice({
  text,
}: {
  text: string | null | undefined;
}): ReactNode {
  if (text === null || text === undefined || text === "") return null;
  return (
    <p role="status" className="banner banner-info">
      {text}
    </p>
  );
}
