// Starts and stops the practice plant in its own process. The desktop app hands in an Electron utility
// process; browser mode and the CLI fork Node. Either way the plant is reached by path, never imported.
import { fork, type ChildProcess } from "node:child_process";
import { UserError } from "../errors";
import {
  isFromPracticePlant,
  type FromPracticePlant,
  type ToPracticePlant,
} from "./protocol";

/** A process that speaks the practice protocol. */
export interface PracticeProcess {
  send(message: ToPracticePlant): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface RunningPracticePlant {
  planPath: string;
  servers: number;
  /** The practice TSA's URL: certificates of the practice plan signed in this session are time-stamped by it. */
  timestampAuthority: string;
  stop(): Promise<void>;
}

export interface PracticeLauncher {
  start(options: {
    dir: string;
    broken: boolean;
  }): Promise<RunningPracticePlant>;
}

/** Wait this long for the plant to come up (it makes its PKI first). */
export const PRACTICE_START_TIMEOUT_MS = 60_000;

export function practiceLauncher(
  spawnProcess: () => PracticeProcess,
  /** The port bases to try, where not the plant's own list (tests choose their own, apart from other tests'). */
  ports: { portBases?: readonly number[] } = {},
): PracticeLauncher {
  return {
    start(options) {
      const child = spawnProcess();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill();
          reject(
            new UserError(
              "unavailable",
              "The practice plant did not start within a minute.",
            ),
          );
        }, PRACTICE_START_TIMEOUT_MS);
        let stopped: (() => void) | null = null;
        child.onMessage((message) => {
          if (!isFromPracticePlant(message)) return;
          handle(message);
        });
        child.onExit((code) => {
          clearTimeout(timer);
          stopped?.();
          reject(
            new UserError(
              "unavailable",
              `The practice plant ended before it was ready (exit ${code ?? "signal"}).`,
            ),
          );
        });
        const handle = (message: FromPracticePlant): void => {
          if (message.type === "failed") {
            clearTimeout(timer);
            child.kill();
            reject(
              new UserError(
                "unavailable",
                `The practice plant could not start: ${message.message}`,
              ),
            );
          } else if (message.type === "ready") {
            clearTimeout(timer);
            resolve({
              planPath: message.planPath,
              servers: message.servers,
              timestampAuthority: message.timestampAuthority,
              stop: () =>
                new Promise<void>((done) => {
                  stopped = done;
                  const force = setTimeout(() => {
                    child.kill();
                    done();
                  }, 5000);
                  child.onExit(() => {
                    clearTimeout(force);
                    done();
                  });
                  child.send({ type: "stop" });
                }),
            });
          }
        };
        child.send({ type: "start", ...ports, ...options });
      });
    },
  };
}

/** Browser mode and the CLI: a Node child process running the built plant entry. */
export function nodePracticeProcess(entry: string): () => PracticeProcess {
  return () => {
    const child: ChildProcess = fork(entry, [], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    return {
      send: (message) => child.send(message),
      onMessage: (listener) => child.on("message", listener),
      onExit: (listener) => child.on("exit", (code) => listener(code)),
      kill: () => child.kill(),
    };
  };
}
