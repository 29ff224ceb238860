// How a secret will be found later — asked each session, the desktop keychain, or an environment variable —
// written as the plan's secret reference. The secret itself never goes into the plan.
import type { ReactNode } from "react";
import { SecretRef } from "../../../shared/model/plan";
import { slugify } from "../../../shared/model/slug";
import { SelectField, TextField } from "./Field";

export interface SecretWay {
  way: "prompt" | "keychain" | "env";
  variable: string;
}

export const ASK_EACH_SESSION: SecretWay = { way: "prompt", variable: "" };

/** The plan's reference for a way of finding the secret of `name`. */
export function secretRefFor(choice: SecretWay, name: string): string {
  if (choice.way === "prompt") return "prompt";
  if (choice.way === "keychain")
    return `keychain:${slugify(name, "secret", 64)}`;
  return `env:${choice.variable}`;
}

/**
 * What is wrong with the way chosen, said about the field the engineer fills in (the variable's name), never in
 * the plan file's notation; null when the plan can record it.
 */
export function secretRefProblem(ref: string): string | null {
  if (SecretRef.safeParse(ref).success) return null;
  if (ref === "env:")
    return "Name the environment variable that holds the secret.";
  if (ref.startsWith("env:"))
    return "An environment variable's name is letters, digits and underscores, and does not start with a digit.";
  return "Cellcert cannot keep this way of finding the secret; choose another.";
}

/** How a plan's secret reference finds the secret, in words: "asked for in each session", … */
export function secretRefWords(ref: string): string {
  if (ref === "prompt") return "asked for in each session";
  if (ref.startsWith("keychain:")) return "kept in this computer's keychain";
  if (ref.startsWith("env:"))
    return `read from the environment variable ${ref.slice("env:".length)}`;
  return "found in a way this version does not know";
}

export function SecretRefField({
  label,
  desktop,
  value,
  onChange,
  problem,
}: {
  label: string;
  desktop: boolean;
  value: SecretWay;
  onChange: (value: SecretWay) => void;
  problem: string | null;
}): ReactNode {
  const options: { value: SecretWay["way"]; label: string }[] = [
    { value: "prompt", label: "Ask for it in each session" },
    ...(desktop
      ? [
          {
            value: "keychain" as const,
            label: "Remember it in this computer's keychain",
          },
        ]
      : []),
    { value: "env", label: "Read it from an environment variable" },
  ];
  return (
    <>
      <SelectField
        label={label}
        value={value.way}
        options={options}
        onChange={(way) => onChange({ ...value, way })}
      />
      {value.way === "env" && (
        <TextField
          label="Environment variable"
          value={value.variable}
          onChange={(variable) => onChange({ ...value, variable })}
          problems={problem === null ? [] : [problem]}
        />
      )}
    </>
  );
}
