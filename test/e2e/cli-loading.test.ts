import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { petsProject } from "../support/pets-project.js";
import { ROOT } from "../support/fixtures.js";

// A child process: which modules a command loads is only visible in a fresh module graph
// (this process has already loaded them all), so in-process would prove nothing.

/** Runs `joinkit <args>` (codegen/dist) in a fresh process in `cwd`; every module URL it loaded, its exit code and output. */
function loadedBy(cwd: string, args: string[]): { loaded: string; status: number; stdout: string } {
    const log = path.join(cwd, "loaded.txt");
    const hooks = path.join(cwd, "hooks.mjs");
    rmSync(log, { force: true });
    writeFileSync(
        hooks,
        `import { appendFileSync } from "node:fs";\nexport async function resolve(specifier, context, next) {\n    const result = await next(specifier, context);\n    appendFileSync(${
            JSON.stringify(log)
        }, result.url + "\\n");\n    return result;\n}\n`,
    );
    const script = [
        `import { register } from "node:module";`,
        `register(${JSON.stringify(pathToFileURL(hooks).href)});`,
        `const { main } = await import(${
            JSON.stringify(pathToFileURL(path.join(ROOT, "codegen/dist/cli/main.js")).href)
        });`,
        `process.exitCode = await main(${JSON.stringify(args)}, ${JSON.stringify(cwd)});`,
    ].join("\n");
    let status = 0;
    let stdout: string;
    try {
        stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
            cwd,
            encoding: "utf8",
            stdio: "pipe",
        });
    } catch (error) {
        status = (error as { status: number }).status;
        stdout = (error as { stdout: string }).stdout;
    }
    return { loaded: readFileSync(log, "utf8"), status, stdout };
}

describe("each command loads only what it uses", () => {
    it("check does not load the docs renderer, its Markdown reader (Markdoc), the watcher or the static server", () => {
        const cwd = petsProject();
        const { loaded, status } = loadedBy(cwd, ["check"]);
        // No generated/ yet: check reports drift (exit 1) after generating in memory.
        expect(status).toBe(1);
        expect(loaded).toMatch(/codegen\/dist\/pipeline\.js/);
        expect(loaded).toMatch(/codegen\/dist\/cli\/commands\/check\.js/);
        for (
            const unused of [
                /codegen\/dist\/docs\/build\.js/,
                /codegen\/dist\/docs\/server\.js/,
                /codegen\/dist\/output\/spec-watcher\.js/,
                /codegen\/dist\/docs\/markdown\.js/,
                /node_modules\/@markdoc\//,
                /node_modules\/chokidar\//,
                /node_modules\/serve-static\//,
            ]
        ) {
            expect(loaded).not.toMatch(unused);
        }
    }, 60_000);

    it(
        "check answered by its cache loads no pipeline: no Redocly, openapi-typescript, TypeScript or ts-morph",
        async () => {
            const cwd = petsProject();
            mkdirSync(path.join(cwd, "node_modules"));
            // The bin, without the module hooks (under them, openapi-typescript's worker cannot `require`).
            const bin = (command: string) =>
                execFileSync(process.execPath, [path.join(ROOT, "codegen/bin/joinkit.js"), command], {
                    cwd,
                    encoding: "utf8",
                    stdio: "pipe",
                });
            bin("generate");
            // A run is recorded only once its inputs are 2 s old (codegen/output/check-cache.ts); this full check records one.
            await new Promise((resolve) => setTimeout(resolve, 2_200));
            expect(bin("check")).toBe("joinkit check: generated/ matches 1 spec(s).\n");

            const { loaded, status, stdout } = loadedBy(cwd, ["check"]);
            expect(status).toBe(0);
            expect(stdout).toContain("up to date (inputs unchanged since the last verified run");
            expect(loaded).toMatch(/codegen\/dist\/output\/check-cache\.js/);
            for (
                const unused of [
                    /codegen\/dist\/pipeline\.js/,
                    /codegen\/dist\/spec\/lint\.js/,
                    /node_modules\/@redocly\//,
                    /node_modules\/openapi-typescript\//,
                    /node_modules\/typescript\//,
                    /node_modules\/ts-morph\//,
                    /node_modules\/@ts-morph\//,
                    /node_modules\/@dprint\//,
                ]
            ) {
                expect(loaded).not.toMatch(unused);
            }
        },
        90_000,
    );
});
