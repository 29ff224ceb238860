// Builds the benchmarks in bench/ for plain Node: `npm run bench:<name>` builds, then runs out/bench/<name>.js.
import { readdirSync } from "node:fs";
import { defineConfig } from "vite";
import { nodeBuildShared } from "./vite.shared.config.ts";

const entries = Object.fromEntries(
  readdirSync("bench")
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .map((file) => [file.replace(/\.ts$/, ""), `bench/${file}`]),
);

export default defineConfig({
  ...nodeBuildShared,
  build: {
    ssr: true,
    target: "node20",
    outDir: "out/bench",
    emptyOutDir: true,
    minify: false,
    rolldownOptions: {
      input: entries,
      output: { format: "esm", entryFileNames: "[name].js" },
    },
  },
});
