// The practice plant as its own process (DESIGN §6): started by path with utilityProcess.fork in Electron or
// child_process.fork from the host, it takes "start" and "stop" messages and answers "ready" or "failed".
import type {
  FromPracticePlant,
  ToPracticePlant,
} from "../engine/practice/protocol";
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

async function handle(message: ToPracticePlant): Promise<void> {
  if (message.type === "start") {
    try {
      plant = await startPracticePlant({
        dir: message.dir,
        broken: message.broken,
        ...(message.portBase !== undefined && { portBase: message.portBase }),
      });
      send({
        type: "ready",
        planPath: plant.planPath,
        servers: plant.servers.length,
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
