import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
    resolve: {
        // Generated code imports the runtime by its package name; in this repo that is the source.
        alias: { "joinkit/runtime": fileURLToPath(new URL("./src/runtime/index.ts", import.meta.url)) },
    },
    test: {
        include: ["test/**/*.test.ts"],
        globalSetup: ["test/support/build-cli.ts"],
        testTimeout: 20_000,
        reporters: ["default", "./test/support/summary-reporter.ts"],
    },
});
