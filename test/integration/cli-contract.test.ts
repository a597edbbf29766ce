import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commandHelp, parseCommand, type CommandName } from "../../codegen/cli/options.js";
import { FALLBACK_CONFIG } from "../../codegen/spec/lint-defaults.js";
import { joinkit } from "../support/cli.js";
import { petsProject } from "../support/pets-project.js";

const COMMANDS: CommandName[] = ["generate", "check", "lint", "docs", "mock"];
const oneLine = (text: string) => text.trim().split("\n");

describe("joinkit's command line: each command takes its own options", () => {
    it.each([
        [["check", "--config", "missing.yaml"], "joinkit check: --config missing.yaml: no such file"],
        [
            ["check", "--port", "3"],
            "joinkit check: --port does not apply to check (it is an option of docs, mock); see joinkit check --help",
        ],
        [
            ["check", "--watch"],
            "joinkit check: --watch does not apply to check (it is an option of generate); see joinkit check --help",
        ],
        [["docs", "--serve", "--port", "abc"], 'joinkit docs: --port takes a port number (0-65535), not "abc"'],
        [["docs", "--serve", "--port", "70000"], "joinkit docs: --port takes a port number (0-65535), not 70000"],
        [["docs", "--port", "3"], "joinkit docs: --port goes with --serve"],
        [
            ["lint", "--out", "x"],
            "joinkit lint: --out does not apply to lint (it is an option of generate, check, docs); see joinkit lint --help",
        ],
        [["generate", "--bogus"], "joinkit generate: unknown option --bogus; see joinkit generate --help"],
        [["generate", "--spec"], "joinkit generate: --spec needs a value (FILE)"],
        [["generate", "--watch=yes"], "joinkit generate: --watch takes no value"],
        [["generate", "--spec", "specs/pets.yaml"], "joinkit generate: --spec goes with --out"],
        [["generate", "--typecheck"], "joinkit generate: --typecheck goes with --spec"],
        [["generate", "--enums", "union"], 'joinkit generate: --enums takes "enum" or "const", not "union"'],
        [["lint", "specs/pets.yaml"], "joinkit lint: unexpected argument specs/pets.yaml; see joinkit lint --help"],
        [["mock"], "joinkit mock: --spec is required"],
        [["mock", "--port", "8080"], "joinkit mock: --spec is required"],
        [
            ["mock", "--spec", "specs/pets.yaml", "--scenario", "stripe"],
            'joinkit mock: --scenario takes amity, sonoran-cad, sonoran-cms, not "stripe"',
        ],
        [["mock", "--spec", "nope.yaml"], "joinkit mock: --spec nope.yaml: no such file"],
        [
            ["docs", "--scenario", "amity"],
            "joinkit docs: --scenario does not apply to docs (it is an option of mock); see joinkit docs --help",
        ],
    ])("joinkit %j exits 2 with one line naming the flag and the command", async (args, message) => {
        const run = await joinkit(args, petsProject());
        expect(run.code).toBe(2);
        expect(oneLine(run.stderr)).toEqual([message]);
        expect(run.stdout).toBe("");
    });

    it.each([
        [["frobnicate"], "joinkit: unknown command: frobnicate"],
        [[], "joinkit: no command given"],
        [["--spec", "x.yaml", "generate"], "joinkit: a command comes first, before --spec"],
        [["help", "frobnicate"], "joinkit: help takes one command (generate, check, lint, docs, mock), not frobnicate"],
    ])("joinkit %j exits 2 naming what is wrong", async (args, message) => {
        const run = await joinkit(args, petsProject());
        expect(run.code).toBe(2);
        expect(oneLine(run.stderr)[0]).toBe(message);
    });
});

describe("joinkit --help", () => {
    it.each(COMMANDS)(
        "%s: `joinkit <command> --help`, `-h` and `joinkit help <command>` print the same help, exit 0",
        async (command) => {
            const cwd = petsProject();
            const runs = await Promise.all([
                joinkit([command, "--help"], cwd),
                joinkit([command, "-h"], cwd),
                joinkit(["help", command], cwd),
            ]);
            for (const run of runs) {
                expect(run.code).toBe(0);
                expect(run.stdout).toBe(`${commandHelp(command)}\n`);
            }
            expect(runs[0]!.stdout).toMatch(new RegExp(`^Usage: joinkit ${command} `));
        },
    );

    it("names the ruleset the code really falls back to (Redocly's minimal, not recommended)", async () => {
        expect(FALLBACK_CONFIG.extends).toEqual(["minimal"]);
        // mock lints nothing, so it takes no Redocly config.
        for (const command of COMMANDS.filter((c) => c !== "mock")) {
            const help = commandHelp(command).replace(/\s+/g, " ");
            expect(help).toContain(`then Redocly's "${FALLBACK_CONFIG.extends[0]}" ruleset`);
            expect(help).not.toContain("recommended");
        }
    });

    it("lists exactly the options each command accepts", () => {
        const listed = (command: CommandName) =>
            new Map(
                [...commandHelp(command).matchAll(/^ {2}(?:-\w, )?--([\w-]+)( [\w|]+)?/gm)].map((
                    m,
                ) => [m[1]!, m[2] !== undefined]),
            );
        const every = new Map(COMMANDS.flatMap((command) => [...listed(command)]));
        expect([...every.keys()].sort()).toEqual(
            [
                "allow-config-plugins",
                "allow-nonempty-out",
                "allow-remote-refs",
                "config",
                "enums",
                "help",
                "no-cache",
                "no-watch",
                "out",
                "port",
                "scenario",
                "seed",
                "serve",
                "spec",
                "strict",
                "typecheck",
                "verbose",
                "watch",
            ].sort(),
        );
        for (const command of COMMANDS) {
            const own = listed(command);
            for (const [option, takesValue] of every) {
                const args = [
                    `--${option}`,
                    ...(takesValue
                        ? [
                            option === "port"
                                ? "0"
                                : option === "enums"
                                ? "const"
                                : option === "scenario"
                                ? "amity"
                                : "x",
                        ]
                        : []),
                ];
                let outcome = "accepted";
                try {
                    parseCommand(command, args);
                } catch (error) {
                    // Needing a companion option still means the command takes it.
                    if (!/goes with|is required/.test((error as Error).message)) outcome = (error as Error).message;
                }
                if (own.has(option)) expect(outcome, `${command} --${option}`).toBe("accepted");
                else {expect(outcome, `${command} --${option}`).toMatch(
                        new RegExp(`^--${option} does not apply to ${command}`),
                    );}
            }
        }
    });
});

describe("joinkit outside a project with specs/", () => {
    it.each([["generate"], ["check"], ["lint"], ["docs"], ["generate", "--watch"], ["docs", "--serve"]])(
        "joinkit %j says so in one line, exit 2, no stack trace",
        async (...args) => {
            const empty = mkdtempSync(path.join(tmpdir(), "joinkit-empty-"));
            const run = await joinkit(args, empty);
            expect(run.code).toBe(2);
            const lines = oneLine(run.stderr);
            expect(lines).toHaveLength(1);
            expect(lines[0]).toMatch(
                new RegExp(
                    `^joinkit ${
                        args[0]
                    }: no specs/ folder in .*joinkit-empty-\\w+: run it in a project with specs/\\*\\.yaml, or name one document with --spec FILE`,
                ),
            );
            expect(run.stderr).not.toMatch(/^\s+at /m);
        },
    );

    it("names a --spec that does not exist", async () => {
        const run = await joinkit(["lint", "--spec", "nope.yaml"], mkdtempSync(path.join(tmpdir(), "joinkit-empty-")));
        expect(run.code).toBe(2);
        expect(oneLine(run.stderr)).toEqual(["joinkit lint: --spec nope.yaml: no such file"]);
    });
});

describe("every command works on --spec/--out", () => {
    it(
        "generate writes the document's client to --out; check compares it and names a drifted file; lint lints it",
        async () => {
            const cwd = petsProject();
            const spec = ["--spec", "specs/pets.yaml"];
            expect((await joinkit(["generate", ...spec, "--out", "client"], cwd)).code).toBe(0);
            expect(readFileSync(path.join(cwd, "client/schema.ts"), "utf8")).toContain("A pet");

            const clean = await joinkit(["check", ...spec, "--out", "client"], cwd);
            expect(clean.code).toBe(0);
            expect(clean.stdout).toBe("joinkit check: client matches specs/pets.yaml.\n");

            appendFileSync(path.join(cwd, "client/index.ts"), "// edited\n");
            const drifted = await joinkit(["check", ...spec, "--out", "client"], cwd);
            expect(drifted.code).toBe(1);
            expect(drifted.stderr).toContain("client/index.ts: differs from what its spec generates");
            expect(drifted.stderr).toContain(
                "Run `npx joinkit generate --spec specs/pets.yaml --out client` and commit the result.",
            );

            const linted = await joinkit(["lint", ...spec], cwd);
            expect(linted.code).toBe(0);
            expect(linted.stdout).toMatch(/specs\/pets\.yaml: no problems/);
        },
        120_000,
    );

    it("docs renders the document's page and an index into --out", async () => {
        const cwd = petsProject();
        const run = await joinkit(["docs", "--spec", "specs/pets.yaml", "--out", "site"], cwd);
        expect(run.code).toBe(0);
        expect(run.stdout).toContain("docs: pets.html (Pets 1, 1 operation(s))");
        expect(readFileSync(path.join(cwd, "site/pets.html"), "utf8")).toContain("List pets");
        expect(readFileSync(path.join(cwd, "site/index.html"), "utf8")).toContain("pets.html");
        expect(existsSync(path.join(cwd, "docs"))).toBe(false);
    }, 120_000);
});

describe("joinkit lint is the pipeline up to lint", () => {
    it("refuses a $ref loop located, exit 1, where it crashed with a stack trace", async () => {
        const cwd = petsProject();
        writeFileSync(
            path.join(cwd, "specs/loop.yaml"),
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        );
        const run = await joinkit(["lint", "--spec", "specs/loop.yaml"], cwd);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(
            /specs\/loop\.yaml:6:\d+ error no-ref-cycles: \$ref chain loops without reaching a schema/,
        );
        expect(run.stderr).not.toMatch(/^\s+at /m);
        // Every spec in specs/: the loop fails the run, the good spec is still linted.
        const all = await joinkit(["lint"], cwd);
        expect(all.code).toBe(1);
        expect(all.stdout).toMatch(/specs\/pets\.yaml: no problems/);
    }, 60_000);
});
