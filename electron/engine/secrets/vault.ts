// Secrets (passphrases of PKCS#12 files, SQL passwords) are found through the plan's secret references and
// never written into a plan, a log or a report. `env:VAR` reads this process's environment; `prompt` and
// `keychain:<id>` take what the user typed for the open plan; `keychain:<id>` may also be remembered by the
// desktop app's keychain (Electron safeStorage), never where that would be plain text.
import { EMPTY_SECRET } from "../../../shared/wording";
import type { SecretRef } from "../../../shared/model/plan";
import { UserError } from "../errors";

/** Whose secret it is: the identity or credential of the plan that names the reference. */
export interface SecretOwner {
  kind: "identity" | "credential";
  id: string;
  /** For sentences: "the client identity perimeter-client". */
  label: string;
}

/** The desktop app's persistent store for `keychain:` references. */
export interface Keychain {
  /** Null when secrets can be remembered, else the reason they cannot. */
  unavailableReason(): Promise<string | null>;
  get(id: string): Promise<string | null>;
  set(id: string, secret: string): Promise<void>;
}

export type SecretAvailability =
  | { available: true; source: "environment" | "session" | "keychain" }
  | { available: false; problem: string };

export interface SecretVaultOptions {
  env: NodeJS.ProcessEnv;
  keychain?: Keychain;
  /** The CLI's way of asking: a terminal prompt without echo. Absent in the app, whose UI asks instead. */
  ask?: (question: string) => Promise<string | null>;
}

export class SecretVault {
  /** Secrets typed for the open plan, by owner; gone when the plan closes or the process ends. */
  private readonly session = new Map<string, string>();

  constructor(private readonly options: SecretVaultOptions) {}

  /** Takes a secret the user typed; `remember` also keeps a `keychain:` secret in the desktop keychain. */
  async provide(
    owner: SecretOwner,
    ref: SecretRef,
    secret: string,
    remember = false,
  ): Promise<void> {
    if (secret === "")
      throw new UserError(
        "invalid-input",
        `An empty secret for ${owner.label} cannot be used.`,
      );
    this.session.set(ownerKey(owner), secret);
    if (remember && ref.startsWith("keychain:")) {
      const keychain = this.options.keychain;
      const reason =
        keychain === undefined
          ? "this mode keeps secrets in memory only"
          : await keychain.unavailableReason();
      if (keychain === undefined || reason !== null) {
        throw new UserError(
          "unavailable",
          `Cellcert will not remember the secret of ${owner.label}: ${reason}. It is kept until this plan is closed.`,
        );
      }
      await keychain.set(ref.slice("keychain:".length), secret);
    }
  }

  forget(owner: SecretOwner): void {
    this.session.delete(ownerKey(owner));
  }

  /**
   * Forgets every secret typed in this session. Owners are named by the plan's ids, which another plan may
   * reuse, so the engine calls this when the open plan closes. The keychain and the environment stay.
   */
  clearSession(): void {
    this.session.clear();
  }

  async availability(
    owner: SecretOwner,
    ref: SecretRef,
  ): Promise<SecretAvailability> {
    if (ref.startsWith("env:")) {
      const name = ref.slice("env:".length);
      if (
        this.options.env[name] !== undefined &&
        this.options.env[name] !== ""
      ) {
        return { available: true, source: "environment" };
      }
      // Typed for this plan (the app asked for it): good until the plan closes.
      if (this.session.has(ownerKey(owner)))
        return { available: true, source: "session" };
      return {
        available: false,
        problem: `the environment variable ${name} is ${this.options.env[name] === "" ? "empty" : "not set"}`,
      };
    }
    if (this.session.has(ownerKey(owner)))
      return { available: true, source: "session" };
    if (ref.startsWith("keychain:") && this.options.keychain !== undefined) {
      const remembered = await this.options.keychain.get(
        ref.slice("keychain:".length),
      );
      if (remembered !== null) return { available: true, source: "keychain" };
    }
    return { available: false, problem: "not entered yet" };
  }

  /** The secret, or a UserError saying how to give it. */
  async resolve(owner: SecretOwner, ref: SecretRef): Promise<string> {
    if (ref.startsWith("env:")) {
      const name = ref.slice("env:".length);
      const value = this.options.env[name] ?? this.session.get(ownerKey(owner));
      if (value === undefined || value === "") {
        throw new UserError(
          "unavailable",
          `The secret of ${owner.label} is read from the environment variable ${name}, which is ${this.options.env[name] === "" ? EMPTY_SECRET : "not set"}.`,
        );
      }
      return value;
    }
    const typed = this.session.get(ownerKey(owner));
    if (typed !== undefined) return typed;
    if (ref.startsWith("keychain:") && this.options.keychain !== undefined) {
      const remembered = await this.options.keychain.get(
        ref.slice("keychain:".length),
      );
      if (remembered !== null) return remembered;
    }
    if (this.options.ask !== undefined) {
      const answer = await this.options.ask(`Secret of ${owner.label}: `);
      if (answer !== null && answer !== "") {
        this.session.set(ownerKey(owner), answer);
        return answer;
      }
    }
    throw new UserError(
      "unavailable",
      ref.startsWith("keychain:")
        ? `The secret of ${owner.label} (${ref}) is not in this session or the keychain; enter it first.`
        : `The secret of ${owner.label} has not been entered; enter it first.`,
    );
  }
}

function ownerKey(owner: SecretOwner): string {
  return `${owner.kind}:${owner.id}`;
}
