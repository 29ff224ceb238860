// Builds the `cellcert` command for plain Node 20: the CLI, the `npm start` launcher, the practice plant
// process that browser mode forks, and the worker thread it verifies uploaded certificates in.
// CommonJS, so the CLI's own files can be loaded through its code cache (electron/cli/code-cache.ts): Node 20 has
// no compile cache for ES modules. Split into chunks (DESIGN §6): out/cli/cellcert.js turns the cache on and
// then loads the program, whose static imports are only commander and the commands' declarations
// (electron/cli/declarations.ts); each command's code is a chunk of its own, loaded by the dynamic import() in its
// action, with the code several commands share in chunks of its own.
// The small pure-JS packages the light paths need (commander for every start, the X.509 readers for probe tls)
// are bundled into the chunks: Node then resolves and reads a few files instead of about a hundred, about 30 ms
// of a probe's whole process on these machines. The large ones (zod, pdfkit, mssql, OPC UA) stay in
// node_modules, loaded by the commands that need them. test/integration/cli-startup.test.ts checks which
// packages each path loads.
import { defineConfig, type Plugin } from "vite";
import { nodeBuildShared } from "./vite.shared.config.ts";

/** Bundled into out/cli (with what they import): see above. */
const BUNDLED_PACKAGES = [
  "commander",
  "node-forge",
  "pkijs",
  "asn1js",
  "bytestreamjs",
  /^@noble\//,
  /^@peculiar\//,
];

/**
 * out/cli/package.json, so Node reads the build's .js files as CommonJS inside a project that is "type": "module":
 * Node's CommonJS loader is the one whose compile step the code cache can take over (electron/cli/code-cache.ts).
 */
const commonJsFolder: Plugin = {
  name: "cellcert-commonjs-folder",
  generateBundle() {
    this.emitFile({
      type: "asset",
      fileName: "package.json",
      source: `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`,
    });
  },
};

export default defineConfig({
  ...nodeBuildShared,
  plugins: [commonJsFolder],
  ssr: { noExternal: BUNDLED_PACKAGES },
  build: {
    ssr: true,
    target: "node20",
    outDir: "out/cli",
    emptyOutDir: true,
    minify: false,
    rolldownOptions: {
      input: {
        cellcert: "electron/cli/cellcert.ts",
        launch: "electron/cli/launch.ts",
        "practice-plant": "electron/demo/practice-process.ts",
        "verify-worker": "electron/engine/signing/verify-worker.ts",
      },
      output: {
        format: "cjs",
        // Strict, as the ES modules it is built from are (and as the CLI ran before it was CommonJS).
        strict: true,
        // import() of a package becomes require(): the code cache leaves a file that calls import() to Node's own
        // compile step (code-cache.ts), and every package the CLI imports lazily (zod, pdfkit, mssql, OPC UA) is
        // CommonJS.
        dynamicImportInCjs: false,
        entryFileNames: "[name].js",
        chunkFileNames: "chunks/[name]-[hash:8].js",
      },
    },
  },
});
