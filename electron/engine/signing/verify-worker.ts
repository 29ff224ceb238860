// The entry of the worker thread that verifies one certificate (see verifier.ts): built beside the CLI and
// Electron's main, started by path, one per document, ended after its one answer.
import { parentPort, workerData } from "node:worker_threads";
import type { VerifyWorkerAnswer, VerifyWorkerRequest } from "./verifier";
import { UnreadableDocumentError, verifyCertificate } from "./verify";

const request = workerData as VerifyWorkerRequest;
const answer = (error: unknown): VerifyWorkerAnswer =>
  error instanceof UnreadableDocumentError
    ? { kind: "unreadable", message: error.message }
    : {
        kind: "failed",
        message: error instanceof Error ? error.message : String(error),
      };
verifyCertificate(request.pdf, request.options).then(
  (result) => parentPort?.postMessage({ kind: "result", result }),
  (error: unknown) => parentPort?.postMessage(answer(error)),
);
