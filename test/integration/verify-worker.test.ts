// Verifying in the worker thread, as browser mode and the desktop app do: the built worker (out/cli/
// verify-worker.js) gives the answer verifying in this thread gives, its memory and time limits end in a
// sentence, and the browser host answers other requests while a hostile certificate is being checked.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspaceEngine } from "../../electron/engine/engine";
import {
  VERIFY_WORKER_LIMITS,
  workerVerifier,
} from "../../electron/engine/signing/verifier";
import {
  UnreadableDocumentError,
  verifyCertificate,
} from "../../electron/engine/signing/verify";
import { startBrowserHost } from "../../electron/host/server";
import { rawRequest } from "../support/http";
import {
  payloads,
  practiceCertificate,
  signedWithPayload,
  type PracticeCertificate,
} from "../support/hostile-pdfs";

const entry = resolve("out/cli/verify-worker.js");
const built = existsSync(entry);
const notBuilt = `the verify worker is not built (${entry}): run "npm run build" first`;

let certificate: PracticeCertificate;
/** Half a million values: the reader's most expensive file below the upload limit, about 0.5 s in the worker. */
let hostile: Uint8Array;
beforeAll(async () => {
  certificate = await practiceCertificate();
  hostile = signedWithPayload(certificate, payloads.manyStrings(1_100_000));
}, 60_000);

describe("verifying in the worker thread", () => {
  it("gives the answer verifying in this thread gives", async (context) => {
    context.skip(!built, notBuilt);
    const options = { caPems: [certificate.caPem], fileName: "good.pdf" };
    const verify = workerVerifier(entry);
    const [good, bad] = await Promise.all([
      verify(certificate.signed, options),
      verify(hostile, options),
    ]);
    expect(good).toEqual(await verifyCertificate(certificate.signed, options));
    expect(good.valid).toBe(true);
    expect(bad).toEqual(await verifyCertificate(hostile, options));
    expect(bad.valid).toBe(false);
  });

  it("says a file that is not a PDF is unreadable", async (context) => {
    context.skip(!built, notBuilt);
    await expect(
      workerVerifier(entry)(new TextEncoder().encode("hello"), {
        fileName: "notes.txt",
      }),
    ).rejects.toThrow(
      new UnreadableDocumentError("notes.txt is not a PDF document."),
    );
  });

  it("ends a worker that runs out of its memory, with a sentence", async (context) => {
    context.skip(!built, notBuilt);
    const small = workerVerifier(entry, {
      ...VERIFY_WORKER_LIMITS,
      maxOldGenerationSizeMb: 8,
      maxYoungGenerationSizeMb: 1,
    });
    await expect(small(hostile, { fileName: "hostile.pdf" })).rejects.toThrow(
      new UnreadableDocumentError(
        "hostile.pdf needed more memory to check than Cellcert gives one document (8 MiB): it is not a document Cellcert can read.",
      ),
    );
  });

  it("ends a worker that runs past its time limit, with a sentence", async (context) => {
    context.skip(!built, notBuilt);
    // Starting a worker alone takes longer than a millisecond.
    const hasty = workerVerifier(entry, {
      ...VERIFY_WORKER_LIMITS,
      timeoutMs: 1,
    });
    await expect(hasty(hostile, { fileName: "hostile.pdf" })).rejects.toThrow(
      new UnreadableDocumentError(
        "hostile.pdf was still being checked after 0.001 s, far longer than any certificate takes: Cellcert stopped, it is not a document Cellcert can read.",
      ),
    );
  });
});

describe("browser mode while a hostile certificate is checked", () => {
  const workspace = mkdtempSync(join(tmpdir(), "cellcert-verify-host-"));
  const rendererDir = mkdtempSync(join(tmpdir(), "cellcert-renderer-"));
  writeFileSync(join(rendererDir, "index.html"), "<!doctype html>");
  const engine = createWorkspaceEngine({
    workspace,
    resourcesDir: "resources",
    env: {},
    verifyEntry: entry,
  });
  let host: Awaited<ReturnType<typeof startBrowserHost>> | undefined;
  afterAll(async () => {
    await host?.close();
    await engine.shutdown();
  });

  it("answers another request before the verification is done", async (context) => {
    context.skip(!built, notBuilt);
    host = await startBrowserHost({
      rendererDir,
      handlers: engine.handlers,
      events: engine.context.events,
      log: engine.context.log,
    });
    const { port, token } = host;
    const api = (channel: string, body: unknown) =>
      rawRequest(port, {
        method: "POST",
        path: `/api/${channel}`,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify(body),
      });
    // The handler logs this line just before it hands the document to the verifier.
    const checking = new Promise<void>((resolve) => {
      const stop = engine.context.events.subscribe((event, payload) => {
        if (
          event === "log:line" &&
          (payload as { message: string }).message.startsWith(
            "Checking hostile.pdf",
          )
        ) {
          stop();
          resolve();
        }
      });
    });
    let verified = false;
    const verification = api("report:verify", {
      source: {
        kind: "upload",
        fileName: "hostile.pdf",
        base64: Buffer.from(hostile).toString("base64"),
      },
      caPems: [certificate.caPem],
    }).then((answer) => {
      verified = true;
      return answer;
    });
    await checking;
    const info = await api("app:info", undefined);
    expect(JSON.parse(info.body)).toMatchObject({ ok: true });
    // Had the host verified on its own thread, this answer would have waited for the verification.
    expect(verified).toBe(false);
    const answer = await verification;
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: true,
      data: { fileName: "hostile.pdf", valid: false },
    });
  });
});
