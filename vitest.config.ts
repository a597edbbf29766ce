import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
    resolve: {
        // Generated code imports the runtime by its package name, and README's examples import the
        // clients and the simulator by theirs; in this repo those are the sources.
        alias: {
            "joinkit/runtime": fileURLToPath(new URL("./src/runtime/index.ts", import.meta.url)),
            "joinkit/amity": fileURLToPath(new URL("./src/amity.ts", import.meta.url)),
            "joinkit/sonoran-cad": fileURLToPath(new URL("./src/sonoran-cad.ts", import.meta.url)),
            "joinkit/sonoran-cms": fileURLToPath(new URL("./src/sonoran-cms.ts", import.meta.url)),
            "@joinkit/codegen/mock": fileURLToPath(new URL("./codegen/mock/index.ts", import.meta.url)),
        },
    },
    test: {
        include: ["test/**/*.test.ts"],
        // The project's one type-check pass: vitest runs tsc over tsconfig.json (codegen, src,
        // generated, test; bench's plain JS is included but not checked); a type error fails the run, and the *.test-d.ts
        // files are type tests whose failed expectations are reported per test.
        typecheck: {
            enabled: true,
            include: ["test/**/*.test-d.ts"],
            tsconfig: "tsconfig.json",
        },
        globalSetup: ["test/support/build-cli.ts"],
        testTimeout: 20_000,
        // Vitest's default in run mode is one worker fewer than the cores: one worker on a
        // 2-core CI box, so files ran one after another while most of them wait on loopback
        // servers, child processes or Chromium. One per core.
        maxWorkers: availableParallelism(),
        // Each worker process keeps its modules from one test file to the next instead of
        // starting afresh per file: TypeScript, ts-morph, Redocly and the generator's source
        // are loaded (and transformed) once per worker, not once per file. Integration and unit
        // files: 146 -> 97 s CPU on Node 20. Test files share no module state they depend on
        // (fake timers and spies are restored after each test; scratch folders are per test).
        // Workers stay processes (forks, the default): the in-process CLI runner changes the
        // working directory, which worker threads may not.
        isolate: false,
        reporters: ["default", "./test/support/summary-reporter.ts"],
    },
});
