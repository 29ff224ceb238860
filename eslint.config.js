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
    rule: layerRule(
      {
        regex: "^electron$",
        message:
          "The engine is plain Node and never imports 'electron' (DESIGN §6).",
      },
      {
        regex: intoLayers("main", "preload", "cli", "host", "demo", "renderer"),
        message: "The engine may import only shared/ (DESIGN §6).",
      },
    ),
  },
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
