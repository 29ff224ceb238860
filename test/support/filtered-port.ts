// A loopback port that answers nothing, as a firewall that drops packets would: a child process listens with the
// smallest backlog and blocks its own event loop, so nothing is ever accepted; we fill the kernel's accept queue
// with a few idle connections, after which further SYNs are dropped and a client's connect times out.
// Linux behaviour (Windows refuses instead); the caller skips where `startFilteredPort` rejects.
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";

export interface FilteredPort {
  port: number;
  stop(): Promise<void>;
}

const SCRIPT = `
const server = require("node:net").createServer();
server.listen({ host: "127.0.0.1", port: 0, backlog: 1 }, () => {
  process.stdout.write(server.address().port + "\\n");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000); // never accept (bounded: 2 min)
});
`;

function tryConnect(port: number, timeoutMs: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, timeoutMs);
    socket.on("error", () => undefined);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}

export async function startFilteredPort(): Promise<FilteredPort> {
  const child = spawn(process.execPath, ["-e", SCRIPT], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const kill = (): Promise<void> =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        done();
        return;
      }
      child.once("exit", () => done());
      child.kill("SIGKILL");
    });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (chunk: Buffer) =>
      resolve(Number(chunk.toString().trim())),
    );
  });
  const fillers: Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const filler = await tryConnect(port, 300);
    if (filler === null) {
      return {
        port,
        stop: async () => {
          for (const f of fillers) f.destroy();
          await kill();
        },
      };
    }
    fillers.push(filler);
  }
  for (const f of fillers) f.destroy();
  await kill();
  throw new Error(
    "Could not fill the accept queue: this system does not drop SYNs on a full queue.",
  );
}
