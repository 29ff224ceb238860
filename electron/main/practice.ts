// The practice plant in an Electron utility process, started by path (the RunAsNode fuse forbids plain Node
// children in the packaged app; DESIGN §6).
import { utilityProcess } from "electron";
import type { PracticeProcess } from "../engine/practice/launcher";

export function utilityPracticeProcess(entry: string): () => PracticeProcess {
  return () => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: "Cellcert practice plant",
      stdio: "inherit",
    });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on("message", listener),
      onExit: (listener) => child.on("exit", (code) => listener(code)),
      kill: () => {
        child.kill();
      },
    };
  };
}
