// `joinkit mock` as a user starts it: the real bin in a child process (what it loads and how
// it stops are only visible in a fresh process), a curl of Amity's join path, Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, describe, expect, it } from "vitest";
import { AMITY_SPEC, readSpec, ROOT } from "../support/fixtures.js";
import { petsProject } from "../support/pets-project.js";

const running: ChildProcess[] = [];
afterEach(() => {
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Starts `joinkit mock <args>` (codegen/dist) in `cwd`, optionally recording every module it loads; resolves with its URL once it listens. */
function startMock(args: string[], cwd: string, modulesLog?: string) {
    let nodeArgs: string[];
    if (modulesLog) {
        const hooks = path.join(mkdtempSync(path.join(tmpdir(), "joinkit-hooks-")), "hooks.mjs");
        writeFileSync(
            hooks,
            `import { appendFileSync } from "node:fs";\nexport async function resolve(specifier, context, next) {\n    const result = await next(specifier, context);\n    appendFileSync(${
                JSON.stringify(modulesLog)
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
        nodeArgs = ["--input-type=module", "-e", script];
    } else nodeArgs = [path.join(ROOT, "codegen/bin/joinkit.js"), ...args];
    const child = spawn(process.execPath, nodeArgs, { cwd });
    running.push(child);
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const url = new Promise<string>((resolve, reject) => {
        child.stdout.on("data", () => {
            const found = /on (http:\/\/127\.0\.0\.1:\d+) \(Ctrl-C to stop\)/.exec(output)?.[1];
            if (found) resolve(found);
        });
        child.on("exit", (code) => reject(new Error(`joinkit mock exited ${code}: ${output}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    return { child, url, exited, output: () => output };
}

/** Ajv over the spec's own schemas, as an independent check of what the simulator answers. */
function validatorFor(spec: Record<string, any>, schemaName: string) {
    const text = JSON.stringify(spec.components.schemas).replaceAll("#/components/schemas/", "#/$defs/");
    const ajv = new Ajv2020({ strict: false, formats: { "date-time": true } });
    return ajv.compile({ $ref: `#/$defs/${schemaName}`, $defs: JSON.parse(text) });
}

describe("joinkit mock", () => {
    it(
        "serves Amity's spec: a curl of the join path answers a spec-valid body; each request is printed; Ctrl-C stops it",
        async () => {
            const mock = startMock(["mock", "--spec", "specs/amity-social-cloud.yaml"], ROOT);
            const url = await mock.url;
            expect(mock.output()).toMatch(
                /^mock: Amity Social Cloud API \(specs\/amity-social-cloud\.yaml, 7 operation\(s\)\) on http:\/\/127\.0\.0\.1:\d+ \(Ctrl-C to stop\)$/m,
            );
            const response = await fetch(`${url}/api/v4/communities/6565e7c7a7e5fd2bf9d5c3ad/join`, {
                method: "POST",
                headers: { Authorization: "Bearer any-token" },
            });
            expect(response.status).toBe(200);
            expect(response.headers.get("content-type")).toBe("application/json");
            const valid = validatorFor(readSpec(AMITY_SPEC), "JoinCommunityResponse");
            expect(valid(await response.json()), JSON.stringify(valid.errors)).toBe(true);

            const refused = await fetch(`${url}/api/v4/communities/c1/join`, { method: "POST" });
            expect(refused.status).toBe(401);
            await expect.poll(() => mock.output()).toMatch(
                /mock: 401 POST \/api\/v4\/communities\/c1\/join \(joinCommunity\)\n {2}security: carries no credentials the operation accepts; send Authorization: Bearer <token> \(BearerAuth\) \(specs\/amity-social-cloud\.yaml:\d+:\d+ #\/security\)/,
            );
            mock.child.kill("SIGINT");
            expect(await mock.exited).toBe(0);
            expect(mock.output()).toMatch(/mock: stopped\n$/);
        },
        60_000,
    );

    it("loads no Redocly, openapi-typescript, TypeScript or YAML AST parser for a one-file document", async () => {
        const log = path.join(mkdtempSync(path.join(tmpdir(), "joinkit-loaded-")), "loaded.txt");
        const mock = startMock(["mock", "--spec", "specs/amity-social-cloud.yaml", "--scenario", "amity"], ROOT, log);
        await mock.url;
        // (Under module hooks Node may end on the signal itself: only what was loaded is asserted here.)
        mock.child.kill("SIGINT");
        await mock.exited;
        const loaded = readFileSync(log, "utf8");
        expect(loaded).toMatch(/codegen\/dist\/mock\/index\.js/);
        for (
            const unused of [
                /node_modules\/@redocly\//,
                /node_modules\/openapi-typescript\//,
                /node_modules\/typescript\//,
                /node_modules\/ts-morph\//,
                /node_modules\/yaml-ast-parser\//,
                /node_modules\/swagger2openapi\//,
                /codegen\/dist\/pipeline\.js/,
            ]
        ) {
            expect(loaded).not.toMatch(unused);
        }
    }, 60_000);

    it("bundles a document whose $refs reach other files, confined to the project, and serves it", async () => {
        const mock = startMock(["mock", "--spec", "specs/pets.yaml", "--seed", "7"], petsProject());
        const url = await mock.url;
        const pets = await fetch(`${url}/pets`);
        expect(pets.status).toBe(200);
        expect(await pets.json()).toEqual({ name: expect.any(String) });
        mock.child.kill("SIGINT");
        expect(await mock.exited).toBe(0);
    }, 60_000);

    it("refuses a broken document located, exit 1, without listening", async () => {
        const cwd = petsProject();
        writeFileSync(path.join(cwd, "specs/broken.yaml"), "openapi: 3.1.0\npaths: [\n");
        const mock = startMock(["mock", "--spec", "specs/broken.yaml"], cwd);
        await expect(mock.url).rejects.toThrow(/exited 1/);
        expect(await mock.exited).toBe(1);
        expect(mock.output()).toMatch(/specs\/broken\.yaml:3:1 error parse: .*\nmock: not started\n$/);
    }, 60_000);
});
