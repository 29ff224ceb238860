// The import matrix of DESIGN §6 is enforced by lint: each forbidden import fails with the rule's own message.
// Inside the engine the floors are enforced the same way, and the folders import each other without a cycle.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

async function layerMessages(
  filePath: string,
  code: string,
): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "no-restricted-imports")
    .map((m) => m.message);
}

const forbidden: [
  layer: string,
  file: string,
  specifier: string,
  message: RegExp,
][] = [
  [
    "shared",
    "shared/product.ts",
    "../electron/engine/about",
    /shared\/ is isomorphic: it may not import from electron\//,
  ],
  [
    "shared",
    "shared/product.ts",
    "node:fs",
    /shared\/ is isomorphic: no Node built-ins/,
  ],
  [
    "shared",
    "shared/contract/schemas.ts",
    "react",
    /shared\/ is isomorphic: no Electron, React or zustand/,
  ],
  [
    "engine",
    "electron/engine/about.ts",
    "electron",
    /The engine is plain Node and never imports 'electron'/,
  ],
  [
    "engine",
    "electron/engine/about.ts",
    "../host/server",
    /The engine may import only shared\//,
  ],
  [
    "engine",
    "electron/engine/api/handlers.ts",
    "../../demo/addresses",
    /The engine may import only shared\//,
  ],
  [
    "engine",
    "electron/engine/about.ts",
    "../main/window",
    /The engine may import only shared\//,
  ],
  [
    "host",
    "electron/host/guard.ts",
    "../demo/addresses",
    /The browser host may import only shared\/ and the engine/,
  ],
  [
    "host",
    "electron/host/guard.ts",
    "../cli/program",
    /The browser host may import only shared\/ and the engine/,
  ],
  [
    "host",
    "electron/host/guard.ts",
    "electron",
    /The browser host runs in plain Node/,
  ],
  [
    "demo",
    "electron/demo/addresses.ts",
    "../host/server",
    /The practice plant may import only shared\/ and the engine/,
  ],
  [
    "demo",
    "electron/demo/addresses.ts",
    "electron",
    /The practice plant runs in plain Node/,
  ],
  [
    "cli",
    "electron/cli/program.ts",
    "../main/window",
    /The CLI may import shared\/, the engine, the host and the practice plant/,
  ],
  ["cli", "electron/cli/program.ts", "electron", /The CLI runs in plain Node/],
  [
    "main",
    "electron/main/window.ts",
    "../host/server",
    /Electron main may import only shared\/ and the engine/,
  ],
  [
    "main",
    "electron/main/window.ts",
    "../demo/addresses",
    /Electron main may import only shared\/ and the engine/,
  ],
  [
    "main",
    "electron/main/window.ts",
    "../preload/index",
    /Electron main may import only shared\/ and the engine/,
  ],
  [
    "preload",
    "electron/preload/index.ts",
    "../../shared/contract/schemas",
    /The preload may import only the zod-free channel list/,
  ],
  [
    "preload",
    "electron/preload/index.ts",
    "../engine/about",
    /The preload may import only the zod-free channel list/,
  ],
  [
    "preload",
    "electron/preload/index.ts",
    "./../engine/about",
    /The preload may import only the zod-free channel list/,
  ],
  [
    "preload",
    "electron/preload/index.ts",
    "zod",
    /The preload may import only 'electron' and the channel list/,
  ],
  [
    "renderer",
    "renderer/src/App.tsx",
    "../../electron/engine/about",
    /The renderer may import only shared\/, never electron\//,
  ],
  [
    "renderer",
    "renderer/src/App.tsx",
    "electron",
    /The renderer talks only to the contract/,
  ],
  [
    "renderer",
    "renderer/src/App.tsx",
    "node:path",
    /The renderer never touches Node/,
  ],
];

/** One forbidden import (at least) per engine floor (DESIGN §6), with the reason its message gives. */
const forbiddenFloors: [
  floor: string,
  file: string,
  specifier: string,
  message: RegExp,
][] = [
  ["api", "electron/engine/api/handlers.ts", "../engine", /not a floor's/],
  [
    "runner",
    "electron/engine/runner/runner.ts",
    "../api/handlers",
    /runner\/ may import only families, .*the runner sits below the api/,
  ],
  [
    "runner",
    "electron/engine/runner/runner.ts",
    "../report",
    /runner\/ may import only/,
  ],
  [
    "families",
    "electron/engine/families/tcp.ts",
    "../runner/runner",
    /families\/ may import only rules, .*the runner and the api call it/,
  ],
  [
    "families",
    "electron/engine/families/tcp.ts",
    "../signing",
    /families\/ may import only/,
  ],
  [
    "rules",
    "electron/engine/rules/http.ts",
    "../protocols/tls",
    /rules\/ may import only x509, .*no protocol, no socket/,
  ],
  [
    "rules",
    "electron/engine/rules/http.ts",
    "../net",
    /rules\/ may import only x509/,
  ],
  [
    "rules",
    "electron/engine/rules/http.ts",
    "../../engine/net/connect",
    /rules\/ may import only x509/,
  ],
  [
    "rules",
    "electron/engine/rules/http.ts",
    "../families/tcp",
    /rules\/ may import only x509/,
  ],
  ...["net", "tls", "dgram", "dns", "fs", "http", "https", "child_process"].map(
    (builtin): [string, string, string, RegExp] => [
      "rules",
      "electron/engine/rules/http.ts",
      `node:${builtin}`,
      /rules\/ is pure: no network, file or process I\/O/,
    ],
  ),
  ["rules", "electron/engine/rules/http.ts", "fs/promises", /rules\/ is pure/],
  [
    "protocols",
    "electron/engine/protocols/tls/probe.ts",
    "../../rules/tls-profile",
    /protocols\/ may import only protocols, x509, net, .*never verdicts/,
  ],
  [
    "protocols",
    "electron/engine/protocols/tds/probe.ts",
    "../../families/mssql",
    /protocols\/ may import only/,
  ],
  [
    "protocols",
    "electron/engine/protocols/opcua/probe.ts",
    "../../runner/runner",
    /protocols\/ may import only/,
  ],
  [
    "protocols",
    "electron/engine/protocols/http/web.ts",
    "../../api/handlers",
    /protocols\/ may import only/,
  ],
  [
    "x509",
    "electron/engine/x509/parse.ts",
    "../protocols/tls",
    /x509\/ may import only net, .*below every protocol/,
  ],
  [
    "net",
    "electron/engine/net/connect.ts",
    "../x509",
    /net\/ may import only shared\/ and the ground files/,
  ],
  [
    "report",
    "electron/engine/report/issue.ts",
    "../protocols/opcua/probe",
    /report\/ may import only reaudit, signing, .*never probes/,
  ],
  [
    "report",
    "electron/engine/report/issue.ts",
    "../families/opcua",
    /report\/ may import only/,
  ],
  ["report", "electron/engine/report/issue.ts", "../net", /report\/ may/],
  [
    "reaudit",
    "electron/engine/reaudit/compare.ts",
    "../report/issue",
    /reaudit\/ may import only signing, .*never probes or writes a certificate/,
  ],
  [
    "reaudit",
    "electron/engine/reaudit/compare.ts",
    "../families/tls",
    /reaudit\/ may/,
  ],
  [
    "signing",
    "electron/engine/signing/sign.ts",
    "../protocols/tls",
    /signing\/ may import only identity, x509, .*never probe/,
  ],
  ["signing", "electron/engine/signing/sign.ts", "../net", /signing\/ may/],
  [
    "signing",
    "electron/engine/signing/sign.ts",
    "../rules/http",
    /signing\/ may/,
  ],
  [
    "secrets",
    "electron/engine/secrets/vault.ts",
    "../runner/runner",
    /secrets\/ may import only plan-store/,
  ],
  [
    "plan-store",
    "electron/engine/plan-store/plan-file.ts",
    "../secrets/vault",
    /plan-store\/ may import only identity, .*PassphraseSource/,
  ],
  [
    "identity",
    "electron/engine/identity/pkcs12.ts",
    "../plan-store/plan-file",
    /identity\/ may import only x509/,
  ],
  [
    "practice",
    "electron/engine/practice/launcher.ts",
    "../api/handlers",
    /practice\/ may import only shared\//,
  ],
  [
    "families",
    "electron/engine/families/tcp.ts",
    "../files",
    /may not import engine\.ts, renderer-files\.ts, files\.ts/,
  ],
];

const allowedFloors: [floor: string, file: string, specifier: string][] = [
  ["api", "electron/engine/api/handlers.ts", "../report"],
  ["api", "electron/engine/api/handlers.ts", "../files"],
  ["runner", "electron/engine/runner/runner.ts", "../families"],
  ["runner", "electron/engine/runner/runner.ts", "../plan-store/plan-store"],
  ["families", "electron/engine/families/tcp.ts", "../rules/reachability"],
  ["families", "electron/engine/families/tcp.ts", "../protocols/tls"],
  ["families", "electron/engine/families/tcp.ts", "../net"],
  ["rules", "electron/engine/rules/http.ts", "../x509"],
  ["rules", "electron/engine/rules/http.ts", "../../../shared/model/net"],
  ["rules", "electron/engine/rules/http.ts", "../errors"],
  ["rules", "electron/engine/rules/http.ts", "node:crypto"],
  ["protocols", "electron/engine/protocols/tls/probe.ts", "../../net"],
  ["protocols", "electron/engine/protocols/tls/probe.ts", "../../x509"],
  ["protocols", "electron/engine/protocols/tds/probe.ts", "../tls/handshake"],
  ["report", "electron/engine/report/issue.ts", "../signing"],
  ["report", "electron/engine/report/issue.ts", "../rules/opcua"],
  ["report", "electron/engine/report/issue.ts", "../reaudit"],
  ["reaudit", "electron/engine/reaudit/compare.ts", "../signing/verify"],
  ["reaudit", "electron/engine/reaudit/compare.ts", "../plan-store/plan-file"],
  ["secrets", "electron/engine/secrets/vault.ts", "../plan-store/atomic-write"],
];

const allowed: [layer: string, file: string, specifier: string][] = [
  ["engine", "electron/engine/about.ts", "../../shared/product"],
  ["host", "electron/host/guard.ts", "../engine/errors"],
  ["demo", "electron/demo/addresses.ts", "../engine/errors"],
  ["cli", "electron/cli/program.ts", "../host/server"],
  ["cli", "electron/cli/program.ts", "../demo/addresses"],
  ["main", "electron/main/window.ts", "../engine/about"],
  ["main", "electron/main/window.ts", "electron"],
  ["preload", "electron/preload/index.ts", "../../shared/contract/channels"],
  ["preload", "electron/preload/index.ts", "electron"],
  ["preload", "electron/preload/index.ts", "./bridge"],
  ["renderer", "renderer/src/App.tsx", "../../shared/contract/schemas"],
  ["renderer", "renderer/src/App.tsx", "react"],
];

describe("layer rules (DESIGN §6)", () => {
  it.each(forbidden)(
    "%s: %s may not import %s",
    async (_layer, file, specifier, message) => {
      const messages = await layerMessages(
        file,
        `import { thing } from '${specifier}';\nexport const used = thing;\n`,
      );
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(message);
    },
  );

  it.each(allowed)("%s: %s may import %s", async (_layer, file, specifier) => {
    const messages = await layerMessages(
      file,
      `import { thing } from '${specifier}';\nexport const used = thing;\n`,
    );
    expect(messages).toEqual([]);
  });
});

describe("engine floors (DESIGN §6)", () => {
  it.each(forbiddenFloors)(
    "%s: %s may not import %s",
    async (_floor, file, specifier, message) => {
      const messages = await layerMessages(
        file,
        `import { thing } from '${specifier}';\nexport const used = thing;\n`,
      );
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/import is restricted/);
      expect(messages[0]).toMatch(message);
    },
  );

  it.each(allowedFloors)(
    "%s: %s may import %s",
    async (_floor, file, specifier) => {
      const messages = await layerMessages(
        file,
        `import { thing } from '${specifier}';\nexport const used = thing;\n`,
      );
      expect(messages).toEqual([]);
    },
  );
});

const ENGINE = join("electron", "engine");

/** The engine folder a file belongs to: its top folder (protocols/<p> each on its own), or the file itself. */
function folderOf(file: string): string {
  const parts = relative(ENGINE, file).split(sep);
  if (parts.length === 1) return parts[0] ?? file;
  if (parts[0] === "protocols" && parts.length > 2)
    return `protocols/${parts[1] ?? ""}`;
  return parts[0] ?? file;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']/g;

/** Folder → the folders its files import, read from the import lines of the engine's production files. */
function engineFolderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(ENGINE)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const target = normalize(join(dirname(file), specifier ?? ""));
      if (!target.startsWith(ENGINE + sep)) continue;
      const to = folderOf(
        statSync(target, { throwIfNoEntry: false })?.isDirectory() === true
          ? join(target, "index.ts")
          : `${target}.ts`,
      );
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every cycle's folders, as "a → b → a" (depth-first search; each cycle found once from its first folder). */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    const at = path.indexOf(node);
    if (at >= 0) {
      found.push([...path.slice(at), node].join(" → "));
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node, []);
  return found;
}

describe("engine folders import each other without a cycle", () => {
  it("finds a cycle where there is one", () => {
    const graph = new Map([
      ["runner", new Set(["families"])],
      ["families", new Set(["rules", "runner"])],
      ["rules", new Set<string>()],
    ]);
    expect(cycles(graph)).toEqual(["families → runner → families"]);
  });

  it("reads the engine's folders and their imports", () => {
    const graph = engineFolderGraph();
    expect(graph.get("families")).toContain("rules");
    expect(graph.get("protocols/tds")).toContain("protocols/tls");
  });

  it("has none between the engine's folders", () => {
    expect(cycles(engineFolderGraph())).toEqual([]);
  });
});
