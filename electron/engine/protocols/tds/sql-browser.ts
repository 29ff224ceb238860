// SQL Browser (MC-SQLR): a named instance's TCP port, asked over UDP 1434 with CLNT_UCAST_INST (0x04 + the
// instance name) and read from the SVR_RESP answer (0x05, length, "…;InstanceName;X;…;tcp;PORT;;").
import { createSocket } from "node:dgram";
import { STOPPED_FAILURE } from "../../../../shared/evidence/connection-states";
import { isIP } from "node:net";
import type { BrowserStep } from "../../../../shared/evidence/mssql";

export const SQL_BROWSER_PORT = 1434;
const CLNT_UCAST_INST = 0x04;
const SVR_RESP = 0x05;
/** MC-SQLR limits an instance name to 32 bytes; an answer for one instance fits well in 1024. */
const MAX_INSTANCE_BYTES = 32;
const MAX_ANSWER_TEXT = 2048;

export interface BrowserQuery {
  host: string;
  instance: string;
  port?: number;
  localAddress?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function browserRequest(instance: string): Buffer {
  return Buffer.concat([
    Buffer.from([CLNT_UCAST_INST]),
    Buffer.from(instance, "latin1"),
    Buffer.from([0]),
  ]);
}

export interface BrowserInstance {
  fields: Record<string, string>;
  tcpPort: number | null;
}

/**
 * Parses an SVR_RESP datagram. Returns the text and the instances in it (each "key;value;…;;"), or a
 * sentence saying why it is not an answer. Bounds are checked before anything is read.
 */
export function parseBrowserAnswer(
  datagram: Uint8Array,
): { text: string; instances: BrowserInstance[] } | { problem: string } {
  const bytes = Buffer.from(
    datagram.buffer,
    datagram.byteOffset,
    datagram.byteLength,
  );
  if (bytes.length < 3) {
    return {
      problem: `the answer is ${bytes.length} bytes, too short for SVR_RESP`,
    };
  }
  if (bytes.readUInt8(0) !== SVR_RESP) {
    return {
      problem: `the answer starts with 0x${bytes.readUInt8(0).toString(16).padStart(2, "0")}, not SVR_RESP (0x05)`,
    };
  }
  const size = bytes.readUInt16LE(1);
  if (size > bytes.length - 3) {
    return {
      problem: `the answer announces ${size} bytes of data but carries ${bytes.length - 3}`,
    };
  }
  const text = bytes.subarray(3, 3 + size).toString("latin1");
  const instances: BrowserInstance[] = [];
  // Instances are separated by ";;"; each is alternating keys and values.
  for (const block of text.split(";;").slice(0, 64)) {
    const parts = block.split(";");
    if (parts.length < 2) continue;
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const key = (parts[i] ?? "").trim();
      if (key !== "") fields[key] = parts[i + 1] ?? "";
    }
    const tcp = fields.tcp;
    const port = tcp === undefined ? NaN : Number(tcp);
    instances.push({
      fields,
      tcpPort:
        Number.isInteger(port) && port >= 1 && port <= 65535 ? port : null,
    });
  }
  return { text, instances };
}

/** Asks SQL Browser for the instance's port. Never throws; always settles within the timeout. */
export function askSqlBrowser(query: BrowserQuery): Promise<BrowserStep> {
  const port = query.port ?? SQL_BROWSER_PORT;
  const base: BrowserStep = {
    port,
    instance: query.instance,
    answered: false,
    tcpPort: null,
    answer: "",
    error: null,
  };
  const instanceBytes = Buffer.byteLength(query.instance, "latin1");
  if (
    instanceBytes === 0 ||
    instanceBytes > MAX_INSTANCE_BYTES ||
    /[\0;]/.test(query.instance)
  ) {
    return Promise.resolve({
      ...base,
      error: {
        kind: "browser",
        code: "EINSTANCE",
        message: `"${query.instance}" is not a SQL Server instance name (1 to ${MAX_INSTANCE_BYTES} characters, no ";").`,
      },
    });
  }
  return new Promise((resolve) => {
    const family = isIP(query.host) === 6 ? "udp6" : "udp4";
    const socket = createSocket(family);
    let settled = false;
    const settle = (step: BrowserStep): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      query.signal?.removeEventListener("abort", onAbort);
      socket.close();
      resolve(step);
    };
    const onAbort = (): void =>
      settle({
        ...base,
        error: STOPPED_FAILURE,
      });
    const timer = setTimeout(() => {
      settle({
        ...base,
        error: {
          kind: "browser",
          code: "ETIMEDOUT",
          message: `SQL Browser on ${query.host} (UDP ${port}) did not answer within ${query.timeoutMs} ms: it is stopped or firewalled. Give the instance's TCP port instead (HOST:PORT).`,
        },
      });
    }, query.timeoutMs);
    socket.on("error", (error: NodeJS.ErrnoException) => {
      settle({
        ...base,
        error: {
          kind:
            error.code === "ENOTFOUND" || error.code === "EAI_AGAIN"
              ? "dns-failure"
              : "browser",
          code: error.code ?? "",
          message:
            error.code === "ENOTFOUND" || error.code === "EAI_AGAIN"
              ? `The name ${query.host} could not be resolved (${error.code}): check the host name or use its IP address.`
              : `SQL Browser on ${query.host} (UDP ${port}) could not be asked (${error.code ?? error.message}). Give the instance's TCP port instead (HOST:PORT).`,
        },
      });
    });
    socket.on("message", (datagram, remote) => {
      // Only the host asked may answer; anything else on the port is ignored until the timeout.
      if (remote.port !== port) return;
      const parsed = parseBrowserAnswer(datagram);
      if ("problem" in parsed) {
        settle({
          ...base,
          answered: true,
          error: {
            kind: "browser",
            code: "EBADANSWER",
            message: `SQL Browser on ${query.host} answered, but ${parsed.problem}. Give the instance's TCP port instead (HOST:PORT).`,
          },
        });
        return;
      }
      const wanted = query.instance.toUpperCase();
      const instance =
        parsed.instances.find(
          (i) => (i.fields.InstanceName ?? "").toUpperCase() === wanted,
        ) ?? (parsed.instances.length === 1 ? parsed.instances[0] : undefined);
      const answer = parsed.text.slice(0, MAX_ANSWER_TEXT);
      if (instance === undefined) {
        settle({
          ...base,
          answered: true,
          answer,
          error: {
            kind: "browser",
            code: "ENOINSTANCE",
            message: `SQL Browser on ${query.host} does not know the instance "${query.instance}": check its name.`,
          },
        });
        return;
      }
      if (instance.tcpPort === null) {
        settle({
          ...base,
          answered: true,
          answer,
          error: {
            kind: "browser",
            code: "ENOTCP",
            message: `SQL Browser on ${query.host} knows "${query.instance}" but gives no TCP port: TCP/IP is disabled for the instance, or it listens on a dynamic port not yet started.`,
          },
        });
        return;
      }
      settle({ ...base, answered: true, tcpPort: instance.tcpPort, answer });
    });
    query.signal?.addEventListener("abort", onAbort, { once: true });
    const send = (): void => {
      socket.send(browserRequest(query.instance), port, query.host, (error) => {
        if (error !== null) socket.emit("error", error);
      });
    };
    if (query.localAddress !== undefined) {
      socket.bind({ address: query.localAddress, port: 0 }, send);
    } else {
      send();
    }
  });
}
