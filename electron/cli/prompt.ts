// Asks for a secret on the terminal without echoing it.
import { createInterface } from "node:readline";

export function askHidden(question: string): Promise<string | null> {
  return new Promise((resolve) => {
    const input = process.stdin;
    const rl = createInterface({
      input,
      output: process.stderr,
      terminal: true,
    });
    const output = rl as unknown as { _writeToOutput?: (text: string) => void };
    process.stderr.write(question);
    // Swallow the echo of what is typed; the question itself was written above.
    output._writeToOutput = () => undefined;
    rl.question("", (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
    rl.on("SIGINT", () => {
      rl.close();
      process.stderr.write("\n");
      resolve(null);
    });
  });
}
