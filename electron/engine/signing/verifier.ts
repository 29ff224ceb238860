// How a host runs `verify` on a document someone handed it: in a worker thread with its own memory limits and a
// time limit, so a hostile file can neither stall the host's event loop (browser mode answers every other request
// meanwhile; Electron's main keeps the window alive) nor take the host's memory. The CLI, one process per
// command, calls verifyCertificate directly.
import { Worker } from "node:worker_threads";
import {
  UnreadableDocumentError,
  verifyCertificate,
  type VerifyOptions,
  type VerifyResult,
} from "./verify";

export type CertificateVerifier = (
  pdf: Uint8Array,
  options: VerifyOptions,
) => Promise<VerifyResult>;

export interface VerifyWorkerRequest {
  pdf: Uint8Array;
  options: VerifyOptions;
}

export type VerifyWorkerAnswer =
  | { kind: "result"; result: VerifyResult }
  | { kind: "unreadable"; message: string }
  | { kind: "failed"; message: string };

export interface VerifyWorkerLimits {
  timeoutMs: number;
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
  stackSizeMb: number;
}

/** Far above what any document up to the upload limit needs (under 1 s, and every hostile file of
 * `npm run bench:verify` is checked within 48 MiB of old generation). */
export const VERIFY_WORKER_LIMITS: Readonly<VerifyWorkerLimits> = {
  timeoutMs: 30_000,
  maxOldGenerationSizeMb: 128,
  maxYoungGenerationSizeMb: 16,
  stackSizeMb: 4,
};

/** In this thread: for tests and tools that hand the engine no built worker. */
export const inProcessVerifier: CertificateVerifier = (pdf, options) =>
  verifyCertificate(pdf, options);

/** In a worker thread started from `entry` (the built verify-worker.js), one per document. */
export function workerVerifier(
  entry: string,
  limits: Readonly<VerifyWorkerLimits> = VERIFY_WORKER_LIMITS,
): CertificateVerifier {
  return (pdf, options) =>
    new Promise((resolve, reject) => {
      const name = options.fileName ?? "The document";
      const request: VerifyWorkerRequest = { pdf, options };
      const worker = new Worker(entry, {
        workerData: request,
        resourceLimits: {
          maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb,
          maxYoungGenerationSizeMb: limits.maxYoungGenerationSizeMb,
          stackSizeMb: limits.stackSizeMb,
        },
      });
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        outcome();
      };
      const timer = setTimeout(
        () =>
          settle(() =>
            reject(
              new UnreadableDocumentError(
                `${name} was still being checked after ${limits.timeoutMs / 1000} s, far longer than any certificate takes: Cellcert stopped, it is not a document Cellcert can read.`,
              ),
            ),
          ),
        limits.timeoutMs,
      );
      worker.on("message", (answer: VerifyWorkerAnswer) =>
        settle(() => {
          if (answer.kind === "result") resolve(answer.result);
          else if (answer.kind === "unreadable")
            reject(new UnreadableDocumentError(answer.message));
          else reject(new Error(`The verifier failed: ${answer.message}`));
        }),
      );
      worker.on("error", (error: Error & { code?: string }) =>
        settle(() =>
          reject(
            error.code === "ERR_WORKER_OUT_OF_MEMORY"
              ? new UnreadableDocumentError(
                  `${name} needed more memory to check than Cellcert gives one document (${limits.maxOldGenerationSizeMb} MiB): it is not a document Cellcert can read.`,
                )
              : error,
          ),
        ),
      );
      worker.on("exit", (code) =>
        settle(() =>
          reject(
            new Error(
              `The verifier's worker ended (exit ${code}) without an answer.`,
            ),
          ),
        ),
      );
    });
}
