import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
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
const program = (imports: string) => `${imports}
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

const expectedOutput = { whitelisted: "ExampleAccount", status: "joined", refused: 401, generated: 1, enums: [400304, "INVALID API KEY"] };

function run(command: string, args: string[], cwd: string): string {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
}

function project(name: string, packageJson: object, tsconfig: object | undefined, files: Record<string, string>): string {
    const dir = path.join(consumers, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, ...packageJson }));
    if (tsconfig) writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
    return dir;
}

const tsc = () => path.join(consumers, "node_modules/typescript/bin/tsc");
const strict = { strict: true, skipLibCheck: false, target: "ES2022", lib: ["ES2023", "DOM"], types: ["node"] };

describe("the packed package in fresh consumer projects", () => {
    beforeAll(() => {
        const packDir = mkdtempSync(path.join(tmpdir(), "joinkit-pack-"));
        // dist/ was built by the global setup; packing must not rebuild it under other tests.
        run(NPM, ["pack", "--pack-destination", packDir, "--silent", "--ignore-scripts"], ROOT);
        tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith(".tgz"))!);
        consumers = mkdtempSync(path.join(tmpdir(), "joinkit-consumers-"));
        writeFileSync(path.join(consumers, "package.json"), JSON.stringify({ name: "consumers", private: true }));
        // One install at the root; each consumer below resolves it as a project would.
        run(NPM, ["install", tarball, "typescript@5.9.3", "@types/node@20", "esbuild@0.28.2", "--no-audit", "--no-fund", "--prefer-offline"], consumers);
    }, 300_000);

    it("type-checks and runs under TypeScript nodenext in an ESM package", () => {
        const dir = project("esm-nodenext", { type: "module" }, { compilerOptions: { ...strict, module: "nodenext", outDir: "out" } }, { "main.ts": program(tsImports) });
        run(process.execPath, [tsc(), "-p", dir], dir);
        expect(JSON.parse(run(process.execPath, [path.join(dir, "out/main.js")], dir))).toEqual(expectedOutput);
    }, 90_000); // tsc over the installed package: slow on a loaded 2-core box

    it("type-checks and runs under TypeScript nodenext in a CommonJS package (require of the ESM build)", () => {
        const dir = project("cjs-nodenext", { type: "commonjs" }, { compilerOptions: { ...strict, module: "nodenext", outDir: "out" } }, { "main.ts": program(tsImports) });
        run(process.execPath, [tsc(), "-p", dir], dir);
        expect(execFileSync(process.execPath, ["-e", "console.log(require('fs').readFileSync('out/main.js','utf8').includes('require(\"joinkit\")'))"], { cwd: dir, encoding: "utf8" }).trim()).toBe("true");
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
        run(path.join(consumers, "node_modules/.bin/esbuild"), ["main.ts", "--bundle", "--platform=node", "--format=esm", "--outfile=out.mjs"], dir);
        expect(JSON.parse(run(process.execPath, [path.join(dir, "out.mjs")], dir))).toEqual(expectedOutput);
    }, 90_000);

    it("runs as plain Node ESM JavaScript", () => {
        const js = program(tsImports)
            .replace(/: Promise<void>|<void>|: void| as \{ port: number \}/g, "")
            .replace(/^\/\/ Types are real[\s\S]*?^}\n/m, "");
        const dir = project("plain-esm", { type: "module" }, undefined, { "main.js": js });
        expect(JSON.parse(run(process.execPath, [path.join(dir, "main.js")], dir))).toEqual(expectedOutput);
    });

    it("runs the joinkit bin from the installed package", () => {
        const out = path.join(consumers, "client");
        const stdout = run(path.join(consumers, "node_modules/.bin/joinkit"), ["generate", "--spec", path.join(ROOT, "specs/sonoran-cad.yaml"), "--out", out], consumers);
        expect(stdout).toContain("sonoran-cad: 1 of 1 operation(s)");
        expect(readdirSync(out).sort()).toEqual([".joinkit-manifest.json", "errors.ts", "index.ts", "operations.ts", "schema.ts"]);
    });

    it("passes publint and arethetypeswrong (ESM-only profile)", () => {
        expect(run(path.join(ROOT, "node_modules/.bin/publint"), ["--strict"], ROOT)).toContain("All good!");
        run(path.join(ROOT, "node_modules/.bin/attw"), [tarball, "--profile", "esm-only", "--format", "ascii"], ROOT);
    });

    it("publishes (dry run)", () => {
        const result = spawnSync(NPM, ["publish", "--dry-run", "--provenance=false", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stderr).toContain("joinkit@");
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
