import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { measure } from "../../bench/bundle-size.js";
import { ROOT } from "../support/fixtures.js";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
let consumers: string;
let tarball: string;

// A program every consumer runs: it starts a server on 127.0.0.1 that answers like Amity,
// calls it through the installed package and prints what came back.
const program = (imports: string) =>
    `${imports}
import { createServer } from "node:http";

async function main(): Promise<void> {
    const server = createServer((req, res) => {
        if (req.url === "/v2/community/servers/1/whitelist/check") {
            const allowed = req.headers.authorization === "Bearer cms-k3y";
            res.writeHead(allowed ? 200 : 401, { "Content-Type": allowed ? "application/json" : "application/problem+json" });
            const meta = { timestamp: "2026-04-15T00:00:00.000Z", path: req.url };
            res.end(JSON.stringify(allowed ? { success: true, data: "ExampleAccount", meta } : { title: "Unauthorized", status: 401, traceId: "t" }));
            return;
        }
        const ok = req.headers.authorization === "Bearer t0ken" && req.url === "/api/v4/communities/c%2F1/join";
        res.writeHead(ok ? 200 : 401, { "Content-Type": "application/json" });
        res.end(JSON.stringify(ok ? { joinRequests: [{ status: "approved" }] } : { status: "error", code: 400100, message: "no" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const { port } = server.address() as { port: number };
    const amity = createAmityClient({ region: "us", accessToken: "t0ken", baseUrl: \`http://127.0.0.1:\${port}\` });
    const joined = await amity.joinCommunity({ communityId: "c/1" });
    const cad = createSonoranCadClient({ communityId: "c", apiKey: "k", internalKey: "i", baseUrl: \`http://127.0.0.1:\${port}\`, retry: false });
    const refused = await cad.joinCommunity({ accounts: "a" });
    const viaGenerated = await joinCommunity(createClient({ baseUrl: \`http://127.0.0.1:\${port}\`, headers: { Authorization: "Bearer t0ken" } }), {
        params: { path: { communityId: "c/1" } },
    });
    const cms = createSonoranCmsClient({ apiKey: "cms-k3y", baseUrl: \`http://127.0.0.1:\${port}\` });
    const whitelisted = await cms.servers.whitelist.check(1, { accId: "00000000-0000-0000-0000-000000000000" });
    server.close();
    console.log(JSON.stringify({
        whitelisted: whitelisted.data,
        status: joined.data?.status,
        refused: refused.error?.kind === "http" ? refused.error.status : refused.error?.kind,
        generated: viaGenerated.data?.joinRequests?.length,
        enums: [AmityErrorCode.UserIsBanned, SonoranCadError.InvalidApiKey],
    }));
}

// Types are real, not any: these must not compile.
export function neverCalled(): void {
    // @ts-expect-error the spec's regions are us, eu and sg
    createAmityClient({ region: "mars", accessToken: "t" });
    // @ts-expect-error communityId is required
    void joinCommunity(createClient(), { params: { path: {} } });
    // @ts-expect-error the CMS has a production and a staging environment, nothing else
    createSonoranCmsClient({ apiKey: "k", environment: "prod" });
}

void main();
`;

const tsImports = `import { createAmityClient, AmityErrorCode } from "joinkit";
import { createSonoranCadClient, SonoranCadError } from "joinkit/sonoran-cad";
import { createClient, joinCommunity } from "joinkit/apis/amity-social-cloud";
import { createSonoranCmsClient } from "joinkit/sonoran-cms";`;

const expectedOutput = {
    whitelisted: "ExampleAccount",
    status: "joined",
    refused: 401,
    generated: 1,
    enums: [400304, "INVALID API KEY"],
};

function run(command: string, args: string[], cwd: string): string {
    const result = spawnSync(command, args, {
        cwd,
        encoding: "utf8",
        env: { ...process.env, npm_config_update_notifier: "false" },
    });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
    }
    return result.stdout;
}

function project(
    name: string,
    packageJson: object,
    tsconfig: object | undefined,
    files: Record<string, string>,
    root = consumers,
): string {
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, ...packageJson }));
    if (tsconfig) writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
    return dir;
}

/** Packs one package of this repository (built by the global setup; packing must not rebuild it under other tests). */
function pack(args: string[], destination: string): { tarball: string; files: string[] } {
    const [packed] = JSON.parse(
        run(NPM, ["pack", ...args, "--pack-destination", destination, "--json", "--ignore-scripts"], ROOT),
    ) as [
        { filename: string; files: { path: string }[] },
    ];
    return { tarball: path.join(destination, packed.filename), files: packed.files.map((file) => file.path) };
}

interface Installed {
    name: string;
    dir: string;
    manifest: { scripts?: Record<string, string>; gypfile?: boolean };
}

/** Every package under a project's node_modules, nested ones included. */
function installedPackages(nodeModules: string): Installed[] {
    if (!existsSync(nodeModules)) return [];
    const found: Installed[] = [];
    for (const entry of readdirSync(nodeModules)) {
        if (entry.startsWith(".")) continue;
        const names = entry.startsWith("@")
            ? readdirSync(path.join(nodeModules, entry)).map((scoped) => `${entry}/${scoped}`)
            : [entry];
        for (const name of names) {
            const dir = path.join(nodeModules, name);
            found.push({
                name,
                dir,
                manifest: JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Installed["manifest"],
            });
            found.push(...installedPackages(path.join(dir, "node_modules")));
        }
    }
    return found;
}

/** Bytes on disk under a folder as `du --apparent-size` counts them (symlinks not followed). */
function treeBytes(dir: string): number {
    let total = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        total += entry.isDirectory() ? treeBytes(file) : lstatSync(file).size;
    }
    return total;
}

const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];
const GENERATOR_DEPENDENCIES = Object.keys(
    (JSON.parse(readFileSync(path.join(ROOT, "codegen/package.json"), "utf8")) as {
        dependencies: Record<string, string>;
    }).dependencies,
).filter((name) => name !== "joinkit");

const tsc = () => path.join(consumers, "node_modules/typescript/bin/tsc");
const strict = { strict: true, skipLibCheck: false, target: "ES2022", lib: ["ES2023", "DOM"], types: ["node"] };
const install = (tarballs: string[], dir: string, extra: string[] = []) =>
    run(NPM, ["install", ...tarballs, ...extra, "--no-audit", "--no-fund", "--prefer-offline"], dir);

describe("the packed client package in fresh consumer projects", () => {
    let clientFiles: string[];
    let installed: Installed[];
    let installedBytes: number;

    beforeAll(() => {
        const packDir = mkdtempSync(path.join(tmpdir(), "joinkit-pack-"));
        ({ tarball, files: clientFiles } = pack([], packDir));
        consumers = mkdtempSync(path.join(tmpdir(), "joinkit-consumers-"));
        writeFileSync(path.join(consumers, "package.json"), JSON.stringify({ name: "consumers", private: true }));
        // The client alone first, as an application installs it; then the tools the
        // consumers below compile with. Each consumer resolves the one install as a project would.
        install([tarball], consumers);
        installed = installedPackages(path.join(consumers, "node_modules"));
        installedBytes = treeBytes(path.join(consumers, "node_modules"));
        install([], consumers, ["typescript@5.9.3", "@types/node@20", "esbuild@0.28.2"]);
    }, 300_000);

    it("installs well under 1 MB: the client and openapi-fetch, no generator, no install scripts", () => {
        console.log(
            `npm install joinkit (client tarball only): ${installed.length} packages, ${installedBytes} bytes in node_modules`,
        );
        expect(installedBytes).toBeLessThan(1_000_000);
        expect(installed.map((pkg) => pkg.name).sort()).toEqual([
            "joinkit",
            "openapi-fetch",
            "openapi-typescript-helpers",
        ]);
        for (const generatorDependency of [...GENERATOR_DEPENDENCIES, "typescript", "@joinkit/codegen"]) {
            expect(installed.map((pkg) => pkg.name)).not.toContain(generatorDependency);
        }
        for (const pkg of installed) {
            expect(
                Object.keys(pkg.manifest.scripts ?? {}).filter((script) => INSTALL_SCRIPTS.includes(script)),
                pkg.name,
            ).toEqual([]);
            expect(pkg.manifest.gypfile ?? existsSync(path.join(pkg.dir, "binding.gyp")), pkg.name).toBe(false);
        }
        // The tarball is the compiled runtime and clients with their declarations: no generator, no bin, no sources.
        expect(clientFiles.filter((file) => !/^dist\/(src|generated)\/.+\.(js|d\.ts)$/.test(file)).sort()).toEqual([
            "README.md",
            "package.json",
        ]);
        expect(clientFiles).toContain("dist/src/runtime/index.js");
    });

    it("type-checks and runs under TypeScript nodenext in an ESM package", () => {
        const dir = project("esm-nodenext", { type: "module" }, {
            compilerOptions: { ...strict, module: "nodenext", outDir: "out" },
        }, { "main.ts": program(tsImports) });
        run(process.execPath, [tsc(), "-p", dir], dir);
        expect(JSON.parse(run(process.execPath, [path.join(dir, "out/main.js")], dir))).toEqual(expectedOutput);
    }, 90_000); // tsc over the installed package: slow on a loaded 2-core box

    it("type-checks and runs under TypeScript nodenext in a CommonJS package (require of the ESM build)", () => {
        const dir = project("cjs-nodenext", { type: "commonjs" }, {
            compilerOptions: { ...strict, module: "nodenext", outDir: "out" },
        }, { "main.ts": program(tsImports) });
        run(process.execPath, [tsc(), "-p", dir], dir);
        expect(
            execFileSync(process.execPath, [
                "-e",
                "console.log(require('fs').readFileSync('out/main.js','utf8').includes('require(\"joinkit\")'))",
            ], { cwd: dir, encoding: "utf8" })
                .trim(),
        ).toBe("true");
        expect(JSON.parse(run(process.execPath, [path.join(dir, "out/main.js")], dir))).toEqual(expectedOutput);
    }, 90_000);

    it("type-checks under moduleResolution bundler and runs as an esbuild bundle", () => {
        const dir = project(
            "bundler",
            { type: "module" },
            { compilerOptions: { ...strict, module: "esnext", moduleResolution: "bundler", noEmit: true } },
            { "main.ts": program(tsImports) },
        );
        run(process.execPath, [tsc(), "-p", dir], dir);
        run(path.join(consumers, "node_modules/.bin/esbuild"), [
            "main.ts",
            "--bundle",
            "--platform=node",
            "--format=esm",
            "--outfile=out.mjs",
        ], dir);
        expect(JSON.parse(run(process.execPath, [path.join(dir, "out.mjs")], dir))).toEqual(expectedOutput);
    }, 90_000);

    it("runs as plain Node ESM JavaScript", () => {
        const js = program(tsImports)
            .replace(/: Promise<void>|<void>|: void| as \{ port: number \}/g, "")
            .replace(/^\/\/ Types are real[\s\S]*?^}\n/m, "");
        const dir = project("plain-esm", { type: "module" }, undefined, { "main.js": js });
        expect(JSON.parse(run(process.execPath, [path.join(dir, "main.js")], dir))).toEqual(expectedOutput);
    });

    it("has no joinkit bin: the command comes with the generator package", () => {
        expect(existsSync(path.join(consumers, "node_modules/.bin/joinkit"))).toBe(false);
    });

    it("passes publint and arethetypeswrong (ESM-only profile)", () => {
        expect(run(path.join(ROOT, "node_modules/.bin/publint"), ["run", tarball, "--strict"], ROOT)).toContain(
            "All good!",
        );
        run(path.join(ROOT, "node_modules/.bin/attw"), [tarball, "--profile", "esm-only", "--format", "ascii"], ROOT);
    });

    it("publishes (dry run)", () => {
        const result = spawnSync(NPM, ["publish", "--dry-run", "--provenance=false", "--ignore-scripts"], {
            cwd: ROOT,
            encoding: "utf8",
        });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stderr).toContain("joinkit@");
        expect(result.stderr).not.toContain("@joinkit/codegen");
    });
});

// What a user of the generator writes: the client as a dependency (generated code imports
// joinkit/runtime), the generator beside it.
const generatedCall = `import { createServer } from "node:http";
import { createClient, joinCommunity } from "./api/index.js";

const server = createServer((req, res) => {
    const ok = req.headers.authorization === "Bearer t0ken" && req.url === "/api/v4/communities/c%2F1/join";
    res.writeHead(ok ? 200 : 401, { "Content-Type": "application/json" });
    res.end(JSON.stringify(ok ? { joinRequests: [{ status: "approved" }] } : { status: "error", code: 400100, message: "no" }));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
const { port } = server.address() as { port: number };
const client = createClient({ baseUrl: \`http://127.0.0.1:\${port}\`, headers: { Authorization: "Bearer t0ken" } });
const joined = await joinCommunity(client, { params: { path: { communityId: "c/1" } } });
server.close();
console.log(JSON.stringify(joined.data));

export function neverCalled(): void {
    // @ts-expect-error communityId is required
    void joinCommunity(client, { params: { path: {} } });
}
`;

// An integrator's test setup: the simulator from the installed generator package.
const simulatorUse = `import { amityScenario, createMockServer } from "@joinkit/codegen/mock";

const mock = await createMockServer(process.argv[2]!, { scenario: amityScenario() });
const response = await fetch(\`\${mock.url}/api/v4/communities/c1/join\`, {
    method: "POST",
    headers: { Authorization: "Bearer t" },
});
const body = (await response.json()) as { joinRequests: { status: string }[] };
console.log(JSON.stringify({ status: response.status, request: body.joinRequests[0]!.status, errors: mock.errors }));
await mock.close();
`;

describe("the packed generator package beside the client in a fresh project", () => {
    let generatorTarball: string;
    let generatorFiles: string[];
    let app: string;

    beforeAll(() => {
        const packDir = mkdtempSync(path.join(tmpdir(), "joinkit-codegen-pack-"));
        ({ tarball: generatorTarball, files: generatorFiles } = pack(["--workspace", "codegen"], packDir));
        const client = tarball ?? pack([], packDir).tarball;
        app = project("app", { type: "module" }, undefined, {}, mkdtempSync(path.join(tmpdir(), "joinkit-generator-")));
        install([client, generatorTarball], app, ["typescript@5.9.3", "@types/node@20"]);
        console.log(
            `npm install joinkit @joinkit/codegen typescript @types/node: ${
                (treeBytes(path.join(app, "node_modules")) / 1e6).toFixed(1)
            } MB in node_modules`,
        );
    }, 300_000);

    it("ships the bin and its compiled code, and shares the app's client package", () => {
        expect(generatorFiles).toContain("bin/joinkit.js");
        expect(generatorFiles).toContain("dist/cli/main.js");
        // Compiled code and its declarations (for `@joinkit/codegen/mock`), never the TypeScript sources.
        expect(
            generatorFiles.filter((file) =>
                (file.endsWith(".ts") && !file.endsWith(".d.ts")) || file.startsWith("node_modules/")
            ),
        ).toEqual([]);
        expect(generatorFiles).toContain("dist/mock/index.d.ts");
        const manifest = JSON.parse(
            readFileSync(path.join(app, "node_modules/@joinkit/codegen/package.json"), "utf8"),
        ) as {
            dependencies: Record<string, string>;
            devDependencies?: Record<string, string>;
        };
        // A registry range, not the repository's link: a consumer's install can satisfy it.
        expect(manifest.dependencies.joinkit).toMatch(/^\^\d+\.\d+\.\d+$/);
        // One runtime for the generator and the code it wrote: the app's, not a second copy.
        expect(existsSync(path.join(app, "node_modules/@joinkit/codegen/node_modules/joinkit"))).toBe(false);
    });

    it(
        "generates a client with the installed bin that type-checks under strict nodenext against the installed client, and runs",
        () => {
            const stdout = run(
                path.join(app, "node_modules/.bin/joinkit"),
                [
                    "generate",
                    "--spec",
                    path.join(ROOT, "specs/amity-social-cloud.yaml"),
                    "--out",
                    path.join(app, "api"),
                    "--typecheck",
                ],
                app,
            );
            expect(stdout).toMatch(/amity-social-cloud: (\d+) of \1 operation\(s\)/);
            expect(readdirSync(path.join(app, "api")).sort()).toEqual([
                ".joinkit-manifest.json",
                "errors.ts",
                "index.ts",
                "operations.ts",
                "schema.ts",
            ]);
            writeFileSync(path.join(app, "main.ts"), generatedCall);
            writeFileSync(
                path.join(app, "tsconfig.json"),
                JSON.stringify({
                    compilerOptions: { ...strict, module: "nodenext", outDir: "out" },
                    files: ["main.ts"],
                }),
            );
            run(process.execPath, [path.join(app, "node_modules/typescript/bin/tsc"), "-p", app], app);
            expect(JSON.parse(run(process.execPath, [path.join(app, "out/main.js")], app))).toEqual({
                joinRequests: [{ status: "approved" }],
            });
        },
        120_000,
    );

    it(
        "check answers from its cache until a dependency is patched in place, then reports the drift --no-cache reports",
        async () => {
            // A project of its own beside the app, sharing the app's installed generator.
            const dir = path.join(app, "patched");
            mkdirSync(path.join(dir, "specs"), { recursive: true });
            mkdirSync(path.join(dir, "node_modules")); // where the check cache lives
            writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "patched", private: true }));
            writeFileSync(path.join(dir, "specs/cad.yaml"), readFileSync(path.join(ROOT, "specs/sonoran-cad.yaml")));
            const joinkit = (args: string[]) => {
                const result = spawnSync(path.join(app, "node_modules/.bin/joinkit"), args, {
                    cwd: dir,
                    encoding: "utf8",
                });
                return { code: result.status, out: `${result.stdout}${result.stderr}` };
            };
            expect(joinkit(["generate"]).code).toBe(0);
            // A run is recorded only once its inputs are 2 s old (check-cache.ts SETTLE_MS): this full check records one.
            await new Promise((resolve) => setTimeout(resolve, 2_200));
            expect(joinkit(["check"]).code).toBe(0);
            expect(joinkit(["check"])).toMatchObject({
                code: 0,
                out: expect.stringMatching(/up to date \(inputs unchanged/),
            });

            // patch-package's way: the installed file changed in place, version and npm's record untouched.
            const printer = path.join(app, "node_modules/openapi-typescript/dist/lib/ts.cjs");
            const original = readFileSync(printer, "utf8");
            writeFileSync(
                printer,
                original.replace(
                    "function astToString(ast, options) {",
                    'function astToString(ast, options) {\n  return "// patched\\n" + astToString2(ast, options);\n}\nfunction astToString2(ast, options) {',
                ),
            );
            try {
                const full = joinkit(["check", "--no-cache"]);
                expect(full.code).toBe(1);
                expect(full.out).toMatch(/schema\.ts/);
                const cached = joinkit(["check"]);
                expect(cached.code).toBe(1);
                expect(cached.out).toMatch(/schema\.ts/);
            } finally {
                writeFileSync(printer, original);
            }
        },
        120_000,
    );

    it("exports the simulator as @joinkit/codegen/mock, typed under strict nodenext, and it serves a spec", () => {
        writeFileSync(path.join(app, "mock.ts"), simulatorUse);
        writeFileSync(
            path.join(app, "tsconfig.mock.json"),
            JSON.stringify({ compilerOptions: { ...strict, module: "nodenext", outDir: "out" }, files: ["mock.ts"] }),
        );
        run(process.execPath, [path.join(app, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.mock.json"], app);
        const answer = run(process.execPath, [
            path.join(app, "out/mock.js"),
            path.join(ROOT, "specs/amity-social-cloud.yaml"),
        ], app);
        expect(JSON.parse(answer)).toEqual({ status: 200, request: "approved", errors: [] });
    }, 120_000);

    it("passes publint", () => {
        expect(run(path.join(ROOT, "node_modules/.bin/publint"), ["run", generatorTarball, "--strict"], ROOT))
            .toContain("All good!");
    });

    it("publishes (dry run)", () => {
        const result = spawnSync(NPM, [
            "publish",
            "--workspace",
            "codegen",
            "--dry-run",
            "--provenance=false",
            "--ignore-scripts",
        ], { cwd: ROOT, encoding: "utf8" });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stderr).toContain("@joinkit/codegen@");
    });
});

describe("tree shaking", () => {
    it("a bundle of createAmityClient carries none of the Sonoran code, even from the root entry", async () => {
        if (!existsSync(path.join(ROOT, "dist/src/index.js"))) throw new Error("run `npm run build` first");
        const { code } = await measure('export { createAmityClient } from "joinkit";');
        expect(code).toContain("apix.");
        expect(code).not.toContain("INVALID API KEY");
        expect(code).not.toContain("/sso/community");
        expect(code).not.toContain("/v2/community");
    });
});
