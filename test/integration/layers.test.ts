// The import matrix of DESIGN §6 is enforced by lint: each forbidden import fails with the rule's own message.
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
