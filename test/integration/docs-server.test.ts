import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildAllDocs } from "../../codegen/docs/build.js";
import { serveDocs, type DocsServer } from "../../codegen/docs/server.js";
import { workspaceAt } from "../../codegen/output/workspace.js";
import { PET_PART, petsProject } from "../support/pets-project.js";

/** GET with the path sent exactly as written (fetch would normalise `..` and percent-encoding). */
function get(url: string, rawPath: string): Promise<{ status: number; body: string; type: string }> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
        const req = request({ hostname, port, path: rawPath, method: "GET" }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (body += chunk));
            res.on(
                "end",
                () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers["content-type"]) }),
            );
        });
        req.on("error", reject);
        req.end();
    });
}

let server: DocsServer | undefined;
afterEach(async () => {
    await server?.close();
    server = undefined;
});

/** A project whose docs/ holds pages, joinkit's manifest, and a link to a file outside it. */
function servedProject(): string {
    const root = mkdtempSync(path.join(tmpdir(), "joinkit-serve-"));
    mkdirSync(path.join(root, "specs"));
    mkdirSync(path.join(root, "docs/sub"), { recursive: true });
    writeFileSync(path.join(root, "secret.txt"), "outside docs/\n");
    writeFileSync(path.join(root, "docs/index.html"), "<h1>index</h1>\n");
    writeFileSync(path.join(root, "docs/pets.html"), "<h1>pets</h1>\n");
    writeFileSync(path.join(root, "docs/sub/index.html"), "<h1>sub</h1>\n");
    writeFileSync(path.join(root, "docs/.joinkit-manifest.json"), '{"files":{}}\n');
    symlinkSync(path.join(root, "secret.txt"), path.join(root, "docs/leak.html"));
    symlinkSync(root, path.join(root, "docs/link"), "dir");
    symlinkSync(path.join(root, "docs/pets.html"), path.join(root, "docs/alias.html"));
    return root;
}

describe("the docs server", () => {
    it("serves the docs folder on 127.0.0.1, on the port the OS assigns", async () => {
        server = await serveDocs(workspaceAt(servedProject()), { port: 0, watch: false }, () => {}, () => {});
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        expect(server.url).not.toBe("http://127.0.0.1:0/");
        const index = await get(server.url, "/");
        expect(index).toMatchObject({ status: 200, body: "<h1>index</h1>\n" });
        expect(index.type).toMatch(/^text\/html/);
        expect(await get(server.url, "/pets.html")).toMatchObject({ status: 200, body: "<h1>pets</h1>\n" });
        expect(await get(server.url, "/sub/")).toMatchObject({ status: 200, body: "<h1>sub</h1>\n" });
        // Read as a path, however many slashes lead it; a link that stays inside docs/ is followed.
        expect(await get(server.url, "//pets.html")).toMatchObject({ status: 200, body: "<h1>pets</h1>\n" });
        expect(await get(server.url, "/alias.html")).toMatchObject({ status: 200, body: "<h1>pets</h1>\n" });
        expect((await get(server.url, "/sub")).status).toBe(301);
    });

    it.each(["/%E0%A4%A", "/%", "/%00", "/pets.html%00.txt"])("answers %s with 400 and keeps serving", async (bad) => {
        server = await serveDocs(workspaceAt(servedProject()), { port: 0, watch: false }, () => {}, () => {});
        expect((await get(server.url, bad)).status).toBe(400);
        expect(await get(server.url, "/pets.html")).toMatchObject({ status: 200, body: "<h1>pets</h1>\n" });
    });

    it.each([
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/sub/..%2f..%2fsecret.txt",
        "/leak.html",
        "/link/secret.txt",
        "//link/secret.txt",
        "///link/secret.txt",
        "//link/docs/../secret.txt",
        "//link%2fsecret.txt",
        "/sub//..//link/secret.txt",
        "/.joinkit-manifest.json",
        "/%2ejoinkit-manifest.json",
    ])(
        "does not serve %s (outside docs/, through a link, or a dotfile)",
        async (sneaky) => {
            server = await serveDocs(workspaceAt(servedProject()), { port: 0, watch: false }, () => {}, () => {});
            const answer = await get(server.url, sneaky);
            expect([400, 403, 404]).toContain(answer.status);
            expect(answer.body).not.toContain("outside docs/");
            expect(answer.body).not.toContain("files");
        },
    );

    it("serves on an explicit port, and refuses one already taken", async () => {
        server = await serveDocs(workspaceAt(servedProject()), { port: 0, watch: false }, () => {}, () => {});
        const port = Number(new URL(server.url).port);
        await expect(serveDocs(workspaceAt(servedProject()), { port, watch: false }, () => {}, () => {})).rejects
            .toThrow(/EADDRINUSE/);
    });

    it("rebuilds a page when a file its spec $refs is saved, and the next request serves it", async () => {
        const cwd = petsProject();
        const workspace = workspaceAt(cwd);
        const built = new Map<string, readonly string[]>();
        await buildAllDocs(workspace, { access: { cwd }, onDependencies: (spec, files) => built.set(spec, files) });
        const lines: string[] = [];
        let rebuilt = () => {};
        const done = new Promise<void>((resolve) => (rebuilt = resolve));
        const log = (line: string) => {
            lines.push(line);
            if (/^docs: rebuilt pets\.html/.test(line)) rebuilt();
        };
        server = await serveDocs(workspace, { port: 0, watch: true, access: { cwd }, built }, log, log);
        writeFileSync(path.join(cwd, "specs/parts/pet.yaml"), PET_PART.replace("A pet", "A served pet"));
        await done;
        expect((await get(server.url, "/pets.html")).body).toContain("A served pet");
        expect(lines.filter((line) => /error/.test(line))).toEqual([]);
    }, 120_000);
});
