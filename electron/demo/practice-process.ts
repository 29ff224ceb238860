// The practice plant as its own process (DESIGN §6): started by path with utilityProcess.fork in Electron or
// child_process.fork from the host, it takes "start" and "stop" messages and answers "ready" or "failed".
import type {
  FromPracticePlant,
  PracticeStartMessage,
  ToPracticePlant,
} from "../engine/practice/protocol";
import { DEFAULT_PORT_BASE } from "./addresses";
import { startPracticePlant, type PracticePlant } from "./practice-plant";

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: "message", listener: (event: { data: unknown }) => void): void;
}

/** Electron's utility process talks through process.parentPort (absent in plain Node); a Node child through process.send. */
const parentPort = Reflect.get(process, "parentPort") as ParentPort | undefined;

function send(message: FromPracticePlant): void {
  if (parentPort !== undefined) parentPort.postMessage(message);
  else process.send?.(message);
}

function onMessage(listener: (message: unknown) => void): void {
  if (parentPort !== undefined)
    parentPort.on("message", (event) => listener(event.data));
  else process.on("message", listener);
}

let plant: PracticePlant | null = null;

/** Port bases tried in turn when the app names none: another practice plant may hold the first. */
const PORT_BASES = [DEFAULT_PORT_BASE, 30_000, 40_000, 50_000];

async function startOnFreePorts(
  message: PracticeStartMessage,
): Promise<PracticePlant> {
  const bases = message.portBases ?? PORT_BASES;
  for (const [index, portBase] of bases.entries()) {
    try {
      return await startPracticePlant({
        dir: message.dir,
        broken: message.broken,
        portBase,
      });
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
      if (!inUse || index === bases.length - 1) throw error;
    }
  }
  throw new Error("No port base was free for the practice plant.");
}

async function handle(message: ToPracticePlant): Promise<void> {
  if (message.type === "start") {
    try {
      plant = await startOnFreePorts(message);
      send({
        type: "ready",
        planPath: plant.planPath,
        servers: plant.servers.length,
        timestampAuthority: plant.timestampAuthority,
      });
    } catch (error) {
      send({
        type: "failed",
        message: error instanceof Error ? error.message : String(error),
      });
      process.exit(1);
    }
  } else {
    await plant?.stop();
    send({ type: "stopped" });
    process.exit(0);
  }
}

onMessage((message) => {
  if (typeof message === "object" && message !== null && "type" in message)
    void handle(message as ToPracticePlant);
});
// A plant whose parent is gone stops with it.
process.on("disconnect", () => void plant?.stop().then(() => process.exit(0)));
