// Builds the desktop app: Electron main (ESM), the preload (CommonJS, so the renderer stays sandboxed), the renderer.
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import { resolve } from "node:path";
import type { Plugin } from "vite";
import {
  cspMetaProblem,
  withoutCspMeta,
} from "./electron/engine/renderer-files";
import { nodeBuildShared } from "./vite.shared.config.ts";

/** The page's CSP meta says what the header says, or the build stops; the dev server serves the page without it. */
function rendererCspMeta(): Plugin {
  return {
    name: "cellcert-renderer-csp-meta",
    transformIndexHtml(html, context) {
      if (context.server !== undefined) return withoutCspMeta(html);
      const problem = cspMetaProblem(html);
      if (problem !== null) throw new Error(problem);
      return html;
    },
  };
}

export default defineConfig({
  main: {
    ...nodeBuildShared,
    build: {
      outDir: "out/main",
      // The practice plant runs in a utility process started by path (DESIGN §6); main never imports it.
      // Certificates are verified in a worker thread started by path too.
      rolldownOptions: {
        input: {
          index: resolve("electron/main/index.ts"),
          "practice-plant": resolve("electron/demo/practice-process.ts"),
          "verify-worker": resolve("electron/engine/signing/verify-worker.ts"),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: "out/preload",
      rolldownOptions: {
        input: { index: resolve("electron/preload/index.ts") },
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: "renderer",
    plugins: [react(), rendererCspMeta()],
    build: {
      outDir: "out/renderer",
      rolldownOptions: { input: resolve("renderer/index.html") },
    },
  },
});
