// Builds the `cellcert` command for plain Node 20: the CLI, the `npm start` launcher, the practice plant
// process that browser mode forks, and the worker thread it verifies uploaded certificates in.
import { defineConfig } from "vite";
import { nodeBuildShared } from "./vite.shared.config.ts";

export default defineConfig({
  ...nodeBuildShared,
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
      output: { format: "esm", entryFileNames: "[name].js" },
    },
  },
});
