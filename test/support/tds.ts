// Certificates and servers for the SQL Server probe's tests: the practice PKI's good, self-signed fallback,
// expired and wrong-name certificates, practice SQL Servers that stop themselves, and hostile TCP servers.
import { createServer, type Server, type Socket } from "node:net";
import {
  createPracticePki,
  daysFrom,
  pemBundle,
} from "../../electron/demo/pki";
import { selfSignedFallback } from "../../electron/demo/tds/fallback";
import {
  startTdsEmulator,
  type TdsEmulator,
  type TdsEmulatorOptions,
} from "../../electron/demo/tds/emulator";

export const SQL_NAME = "sql01.plant.test";

export interface SqlCertificates {
  /** The practice root CA, the plan's trust anchor. */
  anchorPem: string;
  good: { key: string; cert: string };
  fallback: { key: string; cert: string };
  expired: { key: string; cert: string };
  wrongName: { key: string; cert: string };
}

export function sqlCertificates(now = new Date()): SqlCertificates {
  const pki = createPracticePki({ name: "Practice Plant", now });
  const leaf = (request: Parameters<typeof pki.issueLeaf>[0]) => {
    const issued = pki.issueLeaf(request);
    return {
      key: issued.key.privateKeyPem,
      cert: pemBundle(pki.chainOf(issued)),
    };
  };
  return {
    anchorPem: pki.root.pem,
    good: leaf({
      commonName: SQL_NAME,
      dnsNames: [SQL_NAME],
      ipAddresses: ["127.0.0.1"],
    }),
    expired: leaf({
      commonName: SQL_NAME,
      dnsNames: [SQL_NAME],
      notBefore: daysFrom(now, -400),
      notAfter: daysFrom(now, -10),
    }),
    wrongName: leaf({
      commonName: "other.plant.test",
      dnsNames: ["other.plant.test"],
    }),
    fallback: selfSignedFallback(now),
  };
}

/** Starts practice SQL Servers on 127.0.0.1 and stops every one of them in `stopAll`. */
export function emulators() {
  const started: TdsEmulator[] = [];
  return {
    async start(
      options: Omit<TdsEmulatorOptions, "host"> & { host?: string },
    ): Promise<TdsEmulator> {
      const emulator = await startTdsEmulator({
        host: "127.0.0.1",
        ...options,
      });
      started.push(emulator);
      return emulator;
    },
    async stopAll(): Promise<void> {
      await Promise.all(started.splice(0).map((e) => e.close()));
    },
  };
}

/** A TCP server on 127.0.0.1 that does whatever `onConnection` does; destroys every socket on close. */
export async function hostileServer(
  onConnection: (socket: Socket) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port =
    typeof address === "object" && address !== null ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
