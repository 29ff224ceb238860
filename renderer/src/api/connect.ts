// Chooses the transport: the preload bridge in Electron, HTTP with the launch token in browser mode.
import type { Bridge } from "../../../shared/contract/channels";
import type { Api } from "../../../shared/contract/schemas";
import { bridgeTransport, createApiClient, httpTransport } from "./client";

const TOKEN_KEY = "cellcert.token";

declare global {
  interface Window {
    readonly cellcert?: Bridge;
  }
}

export type Connection = { ok: true; api: Api } | { ok: false; reason: string };

export function connect(): Connection {
  if (window.cellcert !== undefined)
    return { ok: true, api: createApiClient(bridgeTransport(window.cellcert)) };
  const token = takeBrowserToken();
  if (token === null) {
    return {
      ok: false,
      reason:
        'Open Cellcert with the address that "cellcert serve" printed: it carries the token this page needs.',
    };
  }
  return {
    ok: true,
    api: createApiClient(httpTransport(window.location.origin, token)),
  };
}

/** The token arrives in the address's fragment; it is kept for this tab so a reload keeps working. */
function takeBrowserToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get(
    "token",
  );
  if (fromHash !== null && fromHash !== "") {
    window.sessionStorage.setItem(TOKEN_KEY, fromHash);
    window.history.replaceState(
      null,
      "",
      window.location.pathname + window.location.search,
    );
    return fromHash;
  }
  return window.sessionStorage.getItem(TOKEN_KEY);
}
