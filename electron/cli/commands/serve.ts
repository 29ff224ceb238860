// `cellcert serve`: browser mode (DESIGN §7).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { createWorkspaceEngine } from "../../engine/engine";
import { startBrowserHost } from "../../host/server";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";

export interface ServeOptions {
  port?: number;
  host?: string;
  workspace?: string;
  open?: boolean;
}

export async function serve(
  options: ServeOptions,
  io: CliIo,
): Promise<ExitCode> {
  if (!existsSync(join(io.rendererDir, "index.html"))) {
    io.stderr(
      `The user interface is not built (${io.rendererDir} has no index.html): run "npm run build" first.`,
    );
    return ExitCode.unjudged;
  }
  const workspace = resolve(
    io.cwd,
    options.workspace ?? defaultWorkspace(io.env),
  );
  const engine = createWorkspaceEngine({
    workspace,
    resourcesDir: io.resourcesDir,
    practiceEntry: io.practiceEntry,
    verifyEntry: io.verifyEntry,
    env: io.env,
    echo: (line) => {
      if (line.level !== "info") io.stderr(`${line.level}: ${line.message}`);
    },
  });
  const { events, log } = engine.context;
  let migration;
  try {
    migration = await engine.prepared;
  } catch (error) {
    io.stderr(
      `The workspace ${workspace} cannot be opened: ${error instanceof Error ? error.message : String(error)}`,
    );
    await engine.shutdown();
    return ExitCode.unjudged;
  }
  for (const { from, to } of migration.moved)
    io.stdout(
      `Moved ${from} into a folder of its own: ${to} (the old plan is kept as ${to}.bak).`,
    );
  for (const { file, reason } of migration.left)
    io.stderr(`Left ${file} where it is: ${reason}`);
  const host = await startBrowserHost({
    ...(options.host !== undefined && { bindAddress: options.host }),
    ...(options.port !== undefined && { port: options.port }),
    rendererDir: io.rendererDir,
    handlers: engine.handlers,
    events,
    log,
  });
  io.stdout(`Cellcert browser mode: ${host.url}`);
  io.stdout(`Plans live in ${workspace}. Press Ctrl-C to stop.`);
  if (options.open === true) openInBrowser(host.url);
  await io.untilInterrupted();
  await host.close();
  await engine.shutdown();
  io.stdout("Browser mode stopped.");
  return ExitCode.ok;
}

/** A `Cellcert` folder in the user's documents. */
export function defaultWorkspace(env: NodeJS.ProcessEnv): string {
  const documents = env.XDG_DOCUMENTS_DIR ?? join(homedir(), "Documents");
  return join(documents, "Cellcert");
}

function openInBrowser(url: string): void {
  const [command, args]: [string, string[]] =
    process.platform === "win32"
      ? ["cmd", ["/c", "start", '""', url]]
      : process.platform === "darwin"
        ? ["open", [url]]
        : ["xdg-open", [url]];
  spawn(command, args, { stdio: "ignore", detached: true })
    .on("error", () => undefined)
    .unref();
}
