// The practice plant's SQL Browser: answers CLNT_UCAST_INST (0x04 + instance name) on a loopback UDP port
// with SVR_RESP (0x05, length, "ServerName;…;InstanceName;…;tcp;PORT;;") for the instances it knows.
import { createSocket, type Socket } from "node:dgram";
import { isIP } from "node:net";

export interface BrowsedInstance {
  name: string;
  tcpPort: number;
  version?: string;
}

export interface SqlBrowserOptions {
  host: string;
  /** 0 or absent: any free port (the real one is 1434, which needs privileges on some systems). */
  port?: number;
  serverName?: string;
  instances: readonly BrowsedInstance[];
}

export interface SqlBrowserEmulator {
  host: string;
  port: number;
  close(): Promise<void>;
}

export function browserAnswer(
  serverName: string,
  instance: BrowsedInstance,
): Buffer {
  const text = `ServerName;${serverName};InstanceName;${instance.name};IsClustered;No;Version;${instance.version ?? "16.0.1000.6"};tcp;${instance.tcpPort};;`;
  const data = Buffer.from(text, "latin1");
  const head = Buffer.alloc(3);
  head.writeUInt8(0x05, 0);
  head.writeUInt16LE(data.length, 1);
  return Buffer.concat([head, data]);
}

export async function startSqlBrowser(
  options: SqlBrowserOptions,
): Promise<SqlBrowserEmulator> {
  if (!(
    (isIP(options.host) === 4 && options.host.startsWith("127.")) ||
    options.host === "::1"
  )) {
    throw new Error(
      `The practice SQL Browser listens on loopback addresses only, not on ${options.host}.`,
    );
  }
  const socket: Socket = createSocket(
    isIP(options.host) === 6 ? "udp6" : "udp4",
  );
  const serverName = options.serverName ?? "PRACTICE-SQL";
  socket.on("message", (datagram, remote) => {
    if (datagram.length < 2 || datagram[0] !== 0x04) return;
    const nul = datagram.indexOf(0, 1);
    const name = datagram
      .subarray(1, nul === -1 ? datagram.length : nul)
      .toString("latin1");
    const instance = options.instances.find(
      (i) => i.name.toUpperCase() === name.toUpperCase(),
    );
    // SQL Browser stays silent about instances it does not know.
    if (instance === undefined) return;
    socket.send(
      browserAnswer(serverName, instance),
      remote.port,
      remote.address,
    );
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port ?? 0, options.host, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  socket.on("error", () => undefined);
  return {
    host: options.host,
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
