// The built CLI (out/cli/cellcert.js) loads a command's code only when that command runs (DESIGN §6): its entry
// turns the code cache on and then loads the program, which reaches no package in node_modules (commander is
// bundled, vite.cli.config.ts) and no command's code; each command is a chunk of its own behind a dynamic import,
// and `probe tls` reaches no PDF writer, SQL Server driver, OPC UA stack or zod. Read from the build's own
// require calls, then run as a real process, with and without its code cache.
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callsImport } from "../../electron/cli/code-cache";
import { TOOL_VERSION } from "../../electron/engine/about";
import { staticClosure, type Closure } from "../support/built-imports";
import { helpAndUsageCases } from "../support/cli";
import { freePort } from "../support/web-daemons";

const entry = resolve("out/cli/cellcert.js");
const built = existsSync(entry);
const notBuilt = `the CLI is not built (${entry}): run "npm run build" first`;

/** A chunk of the module's own, as vite.cli.config.ts names them: chunks/NAME-HASH.js, an 8-character hash. */
const isChunkOf = (module: string, file: string): boolean =>
  new RegExp(`^${module}-[\\w-]{8}\\.js$`).test(basename(file));

/**
 * What the CLI loads before a command runs: the entry alone, then (once the code cache is on) the program and the
 * process's io, which the entry imports dynamically.
 */
function startup(): { first: Closure; program: Closure } {
  const first = staticClosure(entry);
  const program = first.dynamic.map((file) => staticClosure(file));
  return {
    first,
    program: {
      files: program.flatMap((c) => c.files),
      paths: program.flatMap((c) => c.paths),
      packages: program.flatMap((c) => c.packages),
      dynamic: program.flatMap((c) => c.dynamic),
    },
  };
}

/** The chunks the commands' actions import. */
const commandImports = (): string[] => startup().program.dynamic;

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
    const { first, program } = startup();
    // The entry itself loads nothing of the program before the code cache is on.
    expect(first.files.filter((file) => isChunkOf("program", file))).toEqual(
      [],
    );
    expect(
      program.files.filter((file) => isChunkOf("program", file)),
    ).toHaveLength(1);
    expect([...first.packages, ...program.packages]).toEqual([]);
    const commands = [...first.files, ...program.files].filter((file) =>
      COMMAND_MODULES.some((module) => isChunkOf(module, file)),
    );
    expect(commands).toEqual([]);
  });

  it("loads each command's code through a dynamic import of its own chunk", (context) => {
    context.skip(!built, notBuilt);
    const dynamic = commandImports();
    for (const module of COMMAND_MODULES) {
      const chunk = commandChunk(dynamic, module);
      expect(existsSync(chunk), chunk).toBe(true);
    }
  });

  it("reaches no PDF writer, SQL Server driver, OPC UA stack or zod schema for probe tls", (context) => {
    context.skip(!built, notBuilt);
    const chunk = commandChunk(commandImports(), "probe-tls");
    const probeTls = staticClosure(chunk);
    expect(probeTls.packages.filter((p) => HEAVY.test(p))).toEqual([]);
    // The same reading finds them where they belong, so the line above can fail.
    const certify = commandChunk(commandImports(), "certify");
    expect(staticClosure(certify).packages).toContain("pdfkit");
    const checkPlan = commandChunk(commandImports(), "check-plan");
    expect(staticClosure(checkPlan).packages).toContain("zod");
  });

  it("loads pkijs for probe tls only when there is a chain to judge", (context) => {
    context.skip(!built, notBuilt);
    // pkijs is bundled (vite.cli.config.ts): found by the module comment the bundler writes above its code, a
    // path relative to the project ("// node_modules/pkijs/…", or "// ../…/node_modules/pkijs/…" when linked).
    const PKIJS = /^\/\/ (?:\.\.\/)*\S*node_modules\/pkijs\//m;
    const withPkijs = (paths: readonly string[]): string[] =>
      paths.filter((path) => PKIJS.test(readFileSync(path, "utf8")));
    const probeTls = staticClosure(commandChunk(commandImports(), "probe-tls"));
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

describe("the built CLI's code cache", () => {
  /** The build's JavaScript files, each with its text. */
  const builtFiles = (): [string, string][] =>
    [dirname(entry), join(dirname(entry), "chunks")].flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.endsWith(".js"))
        .map((name): [string, string] => [
          name,
          readFileSync(join(dir, name), "utf8"),
        ]),
    );

  it("is built strict and without import(), so every file can load from the cache", (context) => {
    context.skip(!built, notBuilt);
    const all = builtFiles();
    expect(all.length).toBeGreaterThan(10);
    const sloppy = all.filter(
      ([, text]) => !/^(#!.*\n)?"use strict";/.test(text),
    );
    expect(sloppy.map(([name]) => name)).toEqual([]);
    expect(
      all.filter(([, text]) => callsImport(text)).map(([name]) => name),
    ).toEqual([]);
  });

  /** One run of the built CLI with its code cache in `cacheDir` (or "off"): exit code and output. */
  const run = (
    cacheDir: string,
    argv: string[],
  ): (string | number | null)[] => {
    const result = spawnSync(process.execPath, [entry, ...argv], {
      encoding: "utf8",
      env: { ...process.env, CELLCERT_CODE_CACHE: cacheDir },
    });
    return [result.status, result.stdout, result.stderr];
  };
  /** The cache's files, each with its bytes and its inode (a file written again, through a rename, has a new one). */
  const files = (cacheDir: string): Map<string, [Buffer, number]> =>
    new Map(
      (existsSync(cacheDir) ? readdirSync(cacheDir) : []).map((name) => [
        name,
        [
          readFileSync(join(cacheDir, name)),
          statSync(join(cacheDir, name)).ino,
        ],
      ]),
    );
  let folder = "";
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), "cellcert-cli-cache-"));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it("keeps the compiled code of what a run loaded, and the next run loads it without writing", async (context) => {
    context.skip(!built, notBuilt);
    const cacheDir = join(folder, "code");
    // A port nothing listens on: the probe's code loads, the endpoint is unreachable, exit 2.
    const argv = ["probe", "tls", `127.0.0.1:${await freePort()}`];
    const first = run(cacheDir, argv);
    expect(first[0]).toBe(2);
    const written = files(cacheDir);
    const names = [...written.keys()];
    expect(
      names.some((name) =>
        /^program-[\w-]{8}\.js-[0-9a-f]{32}\.v8$/.test(name),
      ),
    ).toBe(true);
    expect(names.some((name) => name.startsWith("probe-tls-"))).toBe(true);
    expect(names.every((name) => name.endsWith(".v8"))).toBe(true);

    // The same report, but for its time ("· 13 ms"), which differs from run to run.
    const untimed = (output: (string | number | null)[]) =>
      output.map((part) =>
        typeof part === "string" ? part.replace(/ · \d+ ms/g, " · N ms") : part,
      );
    expect(untimed(run(cacheDir, argv))).toEqual(untimed(first));
    // V8 took every file (a refused one would have been written again), and nothing new was compiled.
    expect(files(cacheDir)).toEqual(written);
  });

  it("compiles again, with the same output, when a cache file is damaged, and writes it anew", (context) => {
    context.skip(!built, notBuilt);
    const cacheDir = join(folder, "code");
    const first = run(cacheDir, ["--version"]);
    expect(first).toEqual([0, `${TOOL_VERSION}\n`, ""]);
    // Eight bytes changed in the middle of each file's code: past V8's header check, which alone would run it.
    const damaged = new Map<string, Buffer>();
    for (const [name, [bytes]] of files(cacheDir)) {
      const middle = bytes.length >> 1;
      const changed = Buffer.from(bytes).fill(0x5a, middle, middle + 8);
      writeFileSync(join(cacheDir, name), changed);
      damaged.set(name, changed);
    }
    expect(damaged.size).toBeGreaterThan(0);
    expect(run(cacheDir, ["--version"])).toEqual(first);
    for (const [name, [bytes]] of files(cacheDir))
      expect(bytes.equals(damaged.get(name) ?? Buffer.alloc(0)), name).toBe(
        false,
      );
  });

  it("writes nothing when off, and runs as usual where its folder cannot be written", (context) => {
    context.skip(!built, notBuilt);
    const version = [0, `${TOOL_VERSION}\n`, ""];
    expect(run("off", ["--version"])).toEqual(version);
    expect(readdirSync(folder)).toEqual([]);
    const notAFolder = join(folder, "a-file");
    writeFileSync(notAFolder, "");
    expect(run(notAFolder, ["--version"])).toEqual(version);
    expect(readdirSync(folder)).toEqual(["a-file"]);
  });
});
