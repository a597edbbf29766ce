import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { joinkit } from "../support/cli.js";

/** What a terminal would act on: C0/C1 controls (ESC starts ANSI and OSC sequences, BEL ends OSC) and bidi overrides. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function project(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "joinkit-messages-"));
    writeFileSync(path.join(dir, "package.json"), "{}\n");
    mkdirSync(path.join(dir, "specs"));
    return dir;
}

const ESC = "\u001b";
const hostile = {
    title: `${ESC}]0;owned${String.fromCharCode(7)}${ESC}[2J Title`,
    description: `${ESC}[31mred${ESC}[0m and \u202eevil`,
    ref: `./${ESC}[2Jmissing.yaml`,
};

describe("messages are safe to print", () => {
    it("escapes ANSI/OSC escapes and bidi overrides from spec text and file names in every line joinkit prints", async () => {
        const dir = project();
        writeFileSync(
            path.join(dir, "specs/api.yaml"),
            [
                "openapi: 3.1.0",
                `info: { title: ${JSON.stringify(hostile.title)}, version: "1" }`,
                "paths:",
                "  /a:",
                "    get:",
                `      operationId: ${JSON.stringify(`get${ESC}[8mHidden`)}`,
                `      description: ${JSON.stringify(hostile.description)}`,
                "      responses:",
                `        "200": { description: ok, content: { application/json: { schema: { $ref: ${
                    JSON.stringify(hostile.ref)
                } } } } }`,
                "",
            ].join("\n"),
        );
        writeFileSync(path.join(dir, `specs/${ESC}[31mred.yaml`), "openapi: 3.1.0\n");

        for (const args of [["generate"], ["check"], ["lint"]]) {
            const run = await joinkit(args, dir);
            expect(run.code, args.join(" ")).toBe(1);
            expect(run.stderr + run.stdout, args.join(" ")).not.toMatch(TERMINAL_CONTROL);
            expect(run.stderr).toContain("\\x1b[31mred.yaml"); // the file name, shown escaped
        }
        const lint = await joinkit(["lint"], dir);
        expect(lint.stderr).toMatch(/specs\/api\.yaml:9:\d+ error no-unresolved-refs: .*\\x1b\[2Jmissing\.yaml/);
    });

    it("writes no raw control characters into generated files, and prints none when it succeeds", async () => {
        const dir = project();
        writeFileSync(
            path.join(dir, "specs/api.yaml"),
            [
                "openapi: 3.1.0",
                `info: { title: ${JSON.stringify(hostile.title)}, version: "1", description: ${
                    JSON.stringify(hostile.description)
                } }`,
                "paths:",
                "  /a:",
                "    get:",
                `      operationId: ${JSON.stringify(`get${ESC}[8mHidden`)}`,
                `      summary: ${JSON.stringify(hostile.description)}`,
                "      responses:",
                `        "200": { description: ${
                    JSON.stringify(hostile.description)
                }, content: { application/json: { schema: { type: object, description: ${
                    JSON.stringify(hostile.description)
                } } } } }`,
                "",
            ].join("\n"),
        );
        const run = await joinkit(["generate"], dir);
        expect(run.stderr + run.stdout).not.toMatch(TERMINAL_CONTROL);
        expect(run.code).toBe(0);
        for (const file of readdirSync(path.join(dir, "generated/api"))) {
            expect(readFileSync(path.join(dir, "generated/api", file), "utf8"), file).not.toMatch(TERMINAL_CONTROL);
        }
        expect(readFileSync(path.join(dir, "generated/api/operations.ts"), "utf8")).toContain(
            "\\x1b[31mred\\x1b[0m and \\u202eevil",
        );
    });
});

describe("failures are located refusals, not stack traces", () => {
    it("leaves a server whose URL uses an undeclared {variable} out of `servers`, with a located warning", async () => {
        const dir = project();
        writeFileSync(
            path.join(dir, "specs/api.yaml"),
            [
                "openapi: 3.1.0",
                'info: { title: servers, version: "1" }',
                "servers:",
                "  - url: https://{region}.api.example.test",
                "  - url: https://api.example.test",
                "paths:",
                "  /a: { get: { operationId: getA, responses: { '200': { description: ok } } } }",
                "",
            ].join("\n"),
        );
        const run = await joinkit(["generate"], dir);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(run.stderr).toMatch(
            /specs\/api\.yaml warning server-variables: Server URL https:\/\/\{region\}\.api\.example\.test has no variable "region".*\(at #\/servers\/0\/url\)/,
        );
        expect(run.code).toBe(0);
        const index = readFileSync(path.join(dir, "generated/api/index.ts"), "utf8");
        expect(index).not.toContain("{region}");
        expect(index).toContain('"https://api.example.test"');
    });

    it("says where an OpenAPI 3.2 `in: querystring` parameter is and that the wrapper does not send it", async () => {
        const dir = project();
        writeFileSync(
            path.join(dir, "specs/api.yaml"),
            [
                "openapi: 3.2.0",
                'info: { title: querystring, version: "1" }',
                "paths:",
                "  /search:",
                "    get:",
                "      operationId: search",
                "      parameters:",
                "        - name: filter",
                "          in: querystring",
                "          content: { application/x-www-form-urlencoded: { schema: { type: object } } }",
                "      responses: { '200': { description: ok } }",
                "",
            ].join("\n"),
        );
        const run = await joinkit(["generate"], dir);
        expect(run.stderr).toMatch(
            /specs\/api\.yaml(:\d+:\d+)? warning parameter-location: OpenAPI 3\.2 `in: querystring` .* not supported: the wrapper has no parameter for "filter".*\(at #\/paths\/~1search\/get\/parameters\/0\/in\)/,
        );
        expect(run.code).toBe(0);
    });

    it("answers bad usage with a message, never a stack trace", async () => {
        const dir = project();
        for (
            const args of [["docs", "--port", "http"], ["generate", "--spec", "nowhere.yaml", "--out", "client"], [
                "generate",
                "--allow-nonempty-out",
            ]]
        ) {
            const run = await joinkit(args, dir);
            expect(run.stderr, args.join(" ")).not.toMatch(/\n\s+at /);
            expect(run.code, args.join(" ")).not.toBe(0);
        }
        expect((await joinkit(["generate", "--spec", "nowhere.yaml", "--out", "client"], dir)).stderr).toMatch(
            /^joinkit generate: --spec nowhere\.yaml: no such file$/m,
        );
    });
});
