// A server that needs a server name (DESIGN §2, exit 2): probed without SNI, it refuses every TLS 1.2 and 1.3
// ClientHello before any ServerHello — nginx's `ssl_reject_handshake` with alert 112 (unrecognized_name) or 40
// (handshake_failure), HTTP.sys with only SNI bindings with a TCP reset. Nothing about its TLS can be judged until
// it is probed with its name. One reason and one sentence, for every check that meets it.

/** The not-tested reason. */
export const NEEDS_SERVER_NAME = "needs a server name";

/** What to do, for an endpoint at `where` (host:port). */
export function needsServerNameMessage(where: string): string {
  return `${where} refuses every TLS 1.2 and TLS 1.3 handshake that carries no server name (SNI), before it answers: it needs a server name, as IIS bindings with "Require Server Name Indication" do. Set the server name it serves (--servername NAME on the command line, or the endpoint's server name in the plan) and probe again.`;
}

/**
 * Whether a refusal (a TLS alert as the probes name it, or an error code) is one a server gives a ClientHello
 * without the name it needs: unrecognized_name (112), handshake_failure (40), or a reset.
 */
export function isServerNameRefusal(alertOrCode: string): boolean {
  return /^(?:unrecognized_name|handshake_failure)\b|^ECONNRESET$|^reset$/.test(
    alertOrCode,
  );
}
