// Unit and integration tests: Node for shared/, electron/ and test/integration/; jsdom for the renderer.
import { tmpdir } from "node:os";
import { join } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";
import { nodeBuildShared } from "./vite.shared.config.ts";

export default defineConfig({
  test: {
    reporters: ["default", "./test/support/skip-reporter.ts"],
    projects: [
      {
        ...nodeBuildShared,
        test: {
          name: "node",
          environment: "node",
          include: [
            "shared/**/*.test.ts",
            "electron/**/*.test.ts",
            "test/integration/**/*.test.ts",
          ],
          testTimeout: 20_000,
          // The built CLI the tests start keeps its code cache here, not in the user's cache folder.
          env: {
            CELLCERT_CODE_CACHE: join(tmpdir(), "cellcert-tests-code-cache"),
          },
        },
      },
      {
        plugins: [react()],
        test: {
          name: "renderer",
          environment: "jsdom",
          include: ["renderer/**/*.test.{ts,tsx}"],
        },
      },
    ],
  },
});
