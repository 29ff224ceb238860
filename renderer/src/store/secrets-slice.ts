// The plan's secrets (identity passphrases, SQL passwords): whether each is available, and entering one.
// The secret itself goes straight to the engine and is never kept here.
import type { StateCreator } from "zustand";
import type { Api, SecretStatus } from "../../../shared/contract/schemas";
import { messageOf } from "../lib/errors";
import type { AppState } from "./app-store";

export type SecretOwner = SecretStatus[number]["owner"];

export interface SecretsSlice {
  secrets: {
    status: SecretStatus | null;
    error: string | null;
    /** The engine's sentence per owner (`kind:id`) when entering its secret failed. */
    provideErrors: Record<string, string>;
  };
  loadSecrets: () => Promise<void>;
  provideSecret: (
    owner: Pick<SecretOwner, "kind" | "id">,
    secret: string,
    remember: boolean,
  ) => Promise<boolean>;
}

export const ownerKey = (owner: Pick<SecretOwner, "kind" | "id">): string =>
  `${owner.kind}:${owner.id}`;

export const createSecretsSlice =
  (api: Api): StateCreator<AppState, [], [], SecretsSlice> =>
  (set) => {
    const patch = (changes: Partial<SecretsSlice["secrets"]>): void =>
      set((state) => ({ secrets: { ...state.secrets, ...changes } }));
    const load = async (): Promise<void> => {
      try {
        patch({ status: await api["secret:status"](), error: null });
      } catch (error) {
        patch({ error: messageOf(error) });
      }
    };
    return {
      secrets: { status: null, error: null, provideErrors: {} },
      loadSecrets: load,
      async provideSecret(owner, secret, remember) {
        const key = ownerKey(owner);
        try {
          await api["secret:provide"]({
            owner: { kind: owner.kind, id: owner.id },
            secret,
            remember,
          });
          set((state) => {
            const { [key]: _dropped, ...rest } = state.secrets.provideErrors;
            return { secrets: { ...state.secrets, provideErrors: rest } };
          });
          await load();
          return true;
        } catch (error) {
          set((state) => ({
            secrets: {
              ...state.secrets,
              provideErrors: {
                ...state.secrets.provideErrors,
                [key]: messageOf(error),
              },
            },
          }));
          return false;
        }
      },
    };
  };

export const selectSecretOf =
  (kind: SecretOwner["kind"], id: string) =>
  (state: AppState): SecretStatus[number] | null =>
    state.secrets.status?.find(
      (s) => s.owner.kind === kind && s.owner.id === id,
    ) ?? null;
