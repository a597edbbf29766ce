import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { petsProject } from "../support/pets-project.js";
import { ROOT } from "../support/fixtures.js";

// A child process: which modules a command loads is only visible in a fresh module graph
// (this process has already loaded them all), so in-process would prove nothing.
describe("each command loads only what it uses", () => {
    it("check does not load the docs renderer, sanitize-html, the watcher or the static server", () => {
        const cwd = petsProject();
        const log = path.join(cwd, "loaded.txt");
        const hooks = path.join(cwd, "hooks.mjs");
        writeFileSync(
            hooks,
            `import { appendFileSync } from "node:fs";\nexport async function resolve(specifier, context, next) {\n    const result = await next(specifier, context);\n    appendFileSync(${
                JSON.stringify(log)
            }, result.url + "\\n");\n    return result;\n}\n`,
        );
        const script = [
            `import { register } from "node:module";`,
            `register(${JSON.stringify(pathToFileURL(hooks).href)});`,
            `const { main } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "codegen/dist/cli.js")).href)});`,
            `process.exitCode = await main(["check"], ${JSON.stringify(cwd)});`,
        ].join("\n");
        try {
            execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd, encoding: "utf8", stdio: "pipe" });
        } catch (error) {
            // No generated/ yet: check reports drift (exit 1) after generating in memory.
            expect((error as { status: number }).status).toBe(1);
        }
        const loaded = readFileSync(log, "utf8");
        expect(loaded).toMatch(/codegen\/dist\/pipeline\.js/);
        expect(loaded).toMatch(/codegen\/dist\/commands\/check\.js/);
        for (
            const unused of [
                /codegen\/dist\/docs\.js/,
                /docs-server\.js/,
                /spec-watcher\.js/,
                /node_modules\/sanitize-html\//,
                /node_modules\/chokidar\//,
                /node_modules\/serve-static\//,
            ]
        ) {
            expect(loaded).not.toMatch(unused);
        }
    }, 60_000);
});
