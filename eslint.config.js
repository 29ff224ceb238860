// Lint: typescript-eslint's type-checked rules, React hooks, and the layer rules of DESIGN §6.
// The layers are enforced with ESLint's own no-restricted-imports, one block per folder, without exceptions.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const NODE_BUILTINS = {
  regex:
    "^node:|^(fs|path|os|net|tls|http|https|crypto|child_process|dgram|dns|stream|util|url|zlib|worker_threads)(/|$)",
};

/** A relative import that reaches into one of the named layer folders. */
const intoLayers = (...layers) =>
  `^\\.{1,2}/(?:.*/)?(?:${layers.join("|")})(?:/|$)`;

const layerRule = (...patterns) => ["error", { patterns }];

// The engine's floors (DESIGN §6): each imports only the floors below it. Two columns meet in the runner:
//   api > runner > families > rules > protocols/{tls,tds,opcua,http,tcp} > x509 > net
//   report > reaudit > signing > identity; secrets > plan-store > identity (families and the runner use them too)
// and practice/ stands alone. The top-level files errors, about, events and log are the ground every floor may
// stand on; engine.ts (the composition root) and renderer-files.ts (main's and the host's) are no floor's, and
// files.ts (documents in and out) is the api's alone.
const ENGINE_FLOORS = [
  "api",
  "runner",
  "families",
  "rules",
  "protocols",
  "x509",
  "net",
  "report",
  "reaudit",
  "signing",
  "secrets",
  "plan-store",
  "identity",
  "practice",
];

/** A relative import that climbs out of a floor into one of the named engine folders (or top-level files). */
const intoFloors = (...floors) =>
  `^(?:\\./)?(?:\\.\\./)+(?:engine/)?(?:${floors.join("|")})(?:/|$)`;

/** A relative import of one of the engine's top-level files. */
const intoTopFiles = (...names) =>
  `^(?:\\./)?(?:\\.\\./)+(?:engine/)?(?:${names.join("|")})(?:\\.[jt]s)?$`;

/** What each floor may import besides its own folder; everything else in the engine is restricted. */
const floors = [
  { floor: "api", may: ENGINE_FLOORS, why: "the api is the top floor" },
  {
    floor: "runner",
    may: [
      "families",
      "rules",
      "protocols",
      "x509",
      "net",
      "secrets",
      "plan-store",
      "identity",
    ],
    why: "the runner sits below the api and beside report and signing",
  },
  {
    floor: "families",
    may: [
      "rules",
      "protocols",
      "x509",
      "net",
      "secrets",
      "plan-store",
      "identity",
    ],
    why: "a family probes and judges one endpoint kind; the runner and the api call it, never the reverse",
  },
  {
    floor: "rules",
    may: ["x509"],
    why: "rules are pure judgement over evidence: no protocol, no socket (evidence types live in shared/evidence)",
  },
  {
    floor: "protocols",
    may: ["protocols", "x509", "net"],
    why: "protocols read and write bytes and hand back evidence, never verdicts",
  },
  {
    floor: "x509",
    may: ["net"],
    why: "x509 reads and validates certificates, below every protocol",
  },
  { floor: "net", may: [], why: "net is the ground floor: sockets only" },
  {
    floor: "report",
    may: ["reaudit", "signing", "rules", "identity", "x509"],
    why: "the report is written from recorded evidence and never probes",
  },
  {
    floor: "reaudit",
    may: ["signing", "plan-store", "identity", "x509"],
    why: "a re-audit reads an earlier certificate's signed evidence and never probes or writes a certificate",
  },
  {
    floor: "signing",
    may: ["identity", "x509"],
    why: "signing and verifying never probe and never judge",
  },
  {
    floor: "secrets",
    may: ["plan-store", "identity", "x509"],
    why: "secrets sit above the plan store, whose atomic write saves the keychain file",
  },
  {
    floor: "plan-store",
    may: ["identity", "x509"],
    why: "the plan store sits below secrets (a passphrase comes in as a PassphraseSource)",
  },
  {
    floor: "identity",
    may: ["x509"],
    why: "identities are read with x509 and nothing above it",
  },
  {
    floor: "practice",
    may: [],
    why: "the practice plant's launcher stands alone",
  },
];

/** Node's I/O built-ins, which rules/ may not touch: a rule judges evidence it is given. */
const NODE_IO = {
  regex:
    "^(?:node:)?(?:net|tls|dgram|dns|fs|http|https|http2|child_process)(?:/|$)",
};

/** What no engine file may import; each floor's block repeats it, since a later block's options replace it. */
const engineImports = [
  {
    regex: "^electron$",
    message:
      "The engine is plain Node and never imports 'electron' (DESIGN §6).",
  },
  {
    regex: intoLayers("main", "preload", "cli", "host", "demo", "renderer"),
    message: "The engine may import only shared/ (DESIGN §6).",
  },
];

const layers = [
  {
    name: "shared",
    files: ["shared/**/*.ts"],
    ignores: ["shared/**/*.test.ts"],
    rule: layerRule(
      {
        regex: intoLayers(
          "electron",
          "renderer",
          "main",
          "preload",
          "engine",
          "cli",
          "host",
          "demo",
        ),
        message:
          "shared/ is isomorphic: it may not import from electron/ or renderer/ (DESIGN §6).",
      },
      {
        ...NODE_BUILTINS,
        message: "shared/ is isomorphic: no Node built-ins (DESIGN §6).",
      },
      {
        regex: "^(electron|react|react-dom|zustand)$",
        message:
          "shared/ is isomorphic: no Electron, React or zustand (DESIGN §6).",
      },
    ),
  },
  {
    name: "engine",
    files: ["electron/engine/**/*.ts"],
    ignores: ["electron/engine/**/*.test.ts"],
    rule: layerRule(...engineImports),
  },
  ...floors.map(({ floor, may, why }) => {
    const restricted = ENGINE_FLOORS.filter(
      (f) => f !== floor && !may.includes(f),
    );
    const topFiles =
      floor === "api"
        ? ["engine", "renderer-files"]
        : ["engine", "renderer-files", "files"];
    return {
      name: `engine/${floor}`,
      files: [`electron/engine/${floor}/**/*.ts`],
      ignores: [`electron/engine/${floor}/**/*.test.ts`],
      rule: layerRule(
        ...engineImports,
        ...(restricted.length === 0
          ? []
          : [
              {
                regex: intoFloors(...restricted),
                message: `${floor}/ may import only ${may.length === 0 ? "shared/ and the ground files (errors, about, events, log)" : `${may.join(", ")}, shared/ and the ground files`}; ${why} (DESIGN §6).`,
              },
            ]),
        {
          regex: intoTopFiles(...topFiles),
          message: `${floor}/ may not import ${topFiles.map((t) => `${t}.ts`).join(", ")}: they are not a floor's (DESIGN §6).`,
        },
        ...(floor === "rules"
          ? [
              {
                ...NODE_IO,
                message:
                  "rules/ is pure: no network, file or process I/O; a rule judges the evidence it is given (DESIGN §6).",
              },
            ]
          : []),
      ),
    };
  }),
  {
    name: "host",
    files: ["electron/host/**/*.ts"],
    ignores: ["electron/host/**/*.test.ts"],
    rule: layerRule(
      {
        regex: "^electron$",
        message:
          "The browser host runs in plain Node and never imports 'electron' (DESIGN §6).",
      },
      {
        regex: intoLayers("main", "preload", "cli", "demo", "renderer"),
        message:
          "The browser host may import only shared/ and the engine (DESIGN §6).",
      },
    ),
  },
  {
    name: "demo",
    files: ["electron/demo/**/*.ts"],
    ignores: ["electron/demo/**/*.test.ts"],
    rule: layerRule(
      {
        regex: "^electron$",
        message:
          "The practice plant runs in plain Node and never imports 'electron' (DESIGN §6).",
      },
      {
        regex: intoLayers("main", "preload", "cli", "host", "renderer"),
        message:
          "The practice plant may import only shared/ and the engine (DESIGN §6).",
      },
    ),
  },
  {
    name: "cli",
    files: ["electron/cli/**/*.ts"],
    ignores: ["electron/cli/**/*.test.ts"],
    rule: layerRule(
      {
        regex: "^electron$",
        message:
          "The CLI runs in plain Node and never imports 'electron' (DESIGN §6).",
      },
      {
        regex: intoLayers("main", "preload", "renderer"),
        message:
          "The CLI may import shared/, the engine, the host and the practice plant, never main, preload or the renderer (DESIGN §6).",
      },
    ),
  },
  {
    name: "main",
    files: ["electron/main/**/*.ts"],
    ignores: ["electron/main/**/*.test.ts"],
    rule: layerRule({
      regex: intoLayers("preload", "cli", "host", "demo", "renderer"),
      message:
        "Electron main may import only shared/ and the engine; it starts the practice plant by path (DESIGN §6).",
    }),
  },
  {
    name: "preload",
    files: ["electron/preload/**/*.ts"],
    ignores: ["electron/preload/**/*.test.ts"],
    rule: layerRule(
      {
        // A file of its own folder (./bridge), or the channel list; nothing else by a relative path.
        regex:
          "^(?:\\./(?![^./][^/]*$)|\\.\\./(?!\\.\\./shared/contract/channels$))",
        message:
          "The preload may import only the zod-free channel list, shared/contract/channels, besides its own folder (DESIGN §6).",
      },
      {
        regex: "^(?!electron$)[^.]",
        message:
          "The preload may import only 'electron' and the channel list (DESIGN §6).",
      },
    ),
  },
  {
    name: "renderer",
    files: ["renderer/**/*.ts", "renderer/**/*.tsx"],
    ignores: ["renderer/**/*.test.ts", "renderer/**/*.test.tsx"],
    rule: layerRule(
      {
        regex: "^electron$",
        message:
          "The renderer talks only to the contract, never to 'electron' (DESIGN §6).",
      },
      {
        regex: intoLayers("electron"),
        message:
          "The renderer may import only shared/, never electron/ (DESIGN §6).",
      },
      {
        ...NODE_BUILTINS,
        message: "The renderer never touches Node (DESIGN §6).",
      },
    ),
  },
];

export default tseslint.config(
  {
    ignores: [
      "out/",
      "dist/",
      "node_modules/",
      "test-output/",
      "test-results/",
      "playwright-report/",
      "cellcert-demo/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["eslint.config.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-confusing-void-expression": [
        "error",
        { ignoreArrowShorthand: true },
      ],
    },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Tests may assert that a value exists with `!`; a wrong guess fails the test, which is the point.
    files: ["**/*.test.ts", "**/*.test.tsx", "test/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    files: ["eslint.config.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  ...layers.map(({ name, files, ignores, rule }) => ({
    name: `cellcert/layer-${name}`,
    files,
    ...(ignores !== undefined && { ignores }),
    rules: { "no-restricted-imports": rule },
  })),
);
