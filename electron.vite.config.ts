// Builds the desktop app: Electron main (ESM), the preload (CommonJS, so the renderer stays sandboxed), the renderer.
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import { resolve } from "node:path";

export default defineConfig({
  main: {
    build: {
      outDir: "out/main",
      rolldownOptions: { input: { index: resolve("electron/main/index.ts") } },
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
    plugins: [react()],
    build: {
      outDir: "out/renderer",
      rolldownOptions: { input: resolve("renderer/index.html") },
    },
  },
});
