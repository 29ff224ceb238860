// The built CLI (out/cli/cellcert.js) loads a command's code only when that command runs (DESIGN §6): its entry
// reaches no package in node_modules (commander is bundled, vite.cli.config.ts) and no command's code, each
// command is a chunk of its own behind a dynamic import(), and `probe tls` reaches no PDF writer, SQL Server
// driver, OPC UA stack or zod. Read from the build's own import
// statements, then run as a real process.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_VERSION } from "../../electron/engine/about";
import { staticClosure } from "../support/built-imports";
import { helpAndUsageCases } from "../support/cli";
import { freePort } from "../support/web-daemons";

const entry = resolve("out/cli/cellcert.js");
const built = existsSync(entry);
const notBuilt = `the CLI is not built (${entry}): run "npm run build" first`;

/** A chunk of the module's own, as vite.cli.config.ts names them: chunks/NAME-HASH.js, an 8-character hash. */
const isChunkOf = (module: string, file: string): boolean =>
  new RegExp(`^${module}-[\\w-]{8}\\.js$`).test(basename(file));

/** The chunk a command's action imports, found by the command module's name. */
function commandChunk(dynamic: readonly string[], module: string): string {
  const found = dynamic.filter((path) => isChunkOf(module, path));
  expect(found, `one chunk for commands/${module}.ts`).toHaveLength(1);
  return found[0] ?? "";
}

const COMMAND_MODULES = [
  "probe-tls",
  "probe-web",
  "probe-tcp",
  "probe-mssql",
  "probe-opcua",
  "run",
  "serve",
  "check-plan",
  "demo",
  "certify",
  "verify",
];

/**
 * Packages probe tls does without: the PDF writer and its fonts, the SQL Server driver, OPC UA, and zod (the plan's
 * and the evidence's schemas; the probe names its evidence and takes the default policy as plain values).
 */
const HEAVY =
  /^(pdfkit|fontkit|mssql|tedious|node-opcua.*|dejavu-fonts-ttf|zod)$/;

describe("the built CLI", () => {
  it("starts with commander alone, bundled: no package from node_modules, no command's code", (context) => {
    context.skip(!built, notBuilt);
    const closure = staticClosure(entry);
    expect(closure.packages).toEqual([]);
    const commands = closure.files.filter((file) =>
      COMMAND_MODULES.some((module) => isChunkOf(module, file)),
    );
    expect(commands).toEqual([]);
  });

  it("loads each command's code through a dynamic import of its own chunk", (context) => {
    context.skip(!built, notBuilt);
    const { dynamic } = staticClosure(entry);
    for (const module of COMMAND_MODULES) {
      const chunk = commandChunk(dynamic, module);
      expect(existsSync(chunk), chunk).toBe(true);
    }
  });

  it("reaches no PDF writer, SQL Server driver, OPC UA stack or zod schema for probe tls", (context) => {
    context.skip(!built, notBuilt);
    const chunk = commandChunk(staticClosure(entry).dynamic, "probe-tls");
    const probeTls = staticClosure(chunk);
    expect(probeTls.packages.filter((p) => HEAVY.test(p))).toEqual([]);
    // The same reading finds them where they belong, so the line above can fail.
    const certify = commandChunk(staticClosure(entry).dynamic, "certify");
    expect(staticClosure(certify).packages).toContain("pdfkit");
    const checkPlan = commandChunk(staticClosure(entry).dynamic, "check-plan");
    expect(staticClosure(checkPlan).packages).toContain("zod");
  });

  it("loads pkijs for probe tls only when there is a chain to judge", (context) => {
    context.skip(!built, notBuilt);
    // pkijs is bundled (vite.cli.config.ts): found by the module comment the bundler writes above its code, a
    // path relative to the project ("// node_modules/pkijs/…", or "// ../…/node_modules/pkijs/…" when linked).
    const PKIJS = /^\/\/ (?:\.\.\/)*\S*node_modules\/pkijs\//m;
    const withPkijs = (paths: readonly string[]): string[] =>
      paths.filter((path) => PKIJS.test(readFileSync(path, "utf8")));
    const probeTls = staticClosure(
      commandChunk(staticClosure(entry).dynamic, "probe-tls"),
    );
    expect(withPkijs(probeTls.paths)).toEqual([]);
    // The certificate checks, behind their dynamic import, bring it — so the line above can fail.
    const evaluate = probeTls.dynamic.filter((path) =>
      isChunkOf("evaluate", path),
    );
    expect(evaluate).toHaveLength(1);
    expect(withPkijs(staticClosure(evaluate[0] ?? "").paths)).not.toEqual([]);
  });

  it("stops writing, without a stack trace, when the reader of its output goes away", async (context) => {
    context.skip(!built, notBuilt);
    // A port nothing listens on: the probe is unreachable, judges nothing and exits 2 — after its reader has gone.
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [entry, "probe", "tls", `127.0.0.1:${port}`],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    const status = await new Promise<number | null>((resolve) =>
      child.once("close", resolve),
    );
    expect([status, stderr]).toEqual([2, ""]);
  });

  it("keeps its own exit code when the reader of its errors goes away too (2>&1 | head)", async (context) => {
    context.skip(!built, notBuilt);
    // A contradiction said on stderr only, exit 2; a write that crashed on the closed pipe would end with exit 1.
    const child = spawn(
      process.execPath,
      [entry, "probe", "firewall", "127.0.0.1", "--allow", "9", "--deny", "9"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout.destroy();
    child.stderr.destroy();
    const status = await new Promise<number | null>((resolve) =>
      child.once("close", resolve),
    );
    expect(status).toBe(2);
  });

  it("prints its version, its help and a usage error as a process, as pinned", (context) => {
    context.skip(!built, notBuilt);
    const version = spawnSync(process.execPath, [entry, "--version"], {
      encoding: "utf8",
    });
    expect([version.status, version.stdout, version.stderr]).toEqual([
      0,
      `${TOOL_VERSION}\n`,
      "",
    ]);
    const pinned = helpAndUsageCases().filter((c) =>
      ["--help", "probe tls --help", "probe tls nohostport", ""].includes(
        c.argv.join(" "),
      ),
    );
    expect(pinned).toHaveLength(4);
    for (const { argv, exitCode, stdout, stderr } of pinned) {
      const run = spawnSync(process.execPath, [entry, ...argv], {
        encoding: "utf8",
      });
      expect([run.status, run.stdout, run.stderr], argv.join(" ")).toEqual([
        exitCode,
        stdout,
        stderr,
      ]);
    }
  });
});
