import { watch } from "node:fs";
import { readFile, realpath } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { buildAllDocs, docsDir } from "./docs.js";
import type { GenerateOptions } from "./pipeline.js";
import { isWithin } from "./project.js";
import { formatProblem, SpecError } from "./spec-error.js";
import { apiName, isSpecFile, type Workspace } from "./workspace.js";

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".png": "image/png", ".json": "application/json" };

export interface DocsServer {
    readonly url: string;
    close(): Promise<void>;
}

type Log = (line: string) => void;

/**
 * Serves `docs/` on 127.0.0.1 and, with `watch`, rebuilds a spec's page (and the index)
 * when the spec changes, so a reload shows the edit.
 */
export async function serveDocs(
    workspace: Workspace,
    options: { port: number; watch: boolean; access?: GenerateOptions },
    log: Log,
    logError: Log,
): Promise<DocsServer> {
    const root = docsDir(workspace);
    // Every request gets an answer, whatever its URL: a bad one is a 400, never a crash.
    const server: Server = createServer((req, res) => {
        answer(root, req.url ?? "/").then(
            ({ status, type, body }) => res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" }).end(body),
            () => res.writeHead(500, { "Content-Type": "text/plain" }).end("internal error"),
        );
    });
    server.on("clientError", (_error, socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

    let rebuilding = Promise.resolve();
    const timers = new Map<string, NodeJS.Timeout>();
    const watcher = options.watch
        ? watch(workspace.specsDir, (_event, name) => {
              if (!name || !isSpecFile(name.toString())) return;
              const spec = path.join(workspace.specsDir, name.toString());
              clearTimeout(timers.get(spec));
              timers.set(
                  spec,
                  setTimeout(() => {
                      rebuilding = rebuilding.then(() => rebuild(spec));
                  }, 40),
              );
          })
        : undefined;

    const rebuild = async (spec: string) => {
        const started = performance.now();
        try {
            // The index lists every spec's title and operation count, so it follows any page.
            await buildAllDocs(workspace, { only: spec, access: options.access });
            log(`docs: rebuilt ${apiName(spec)}.html (${Math.round(performance.now() - started)} ms)`);
        } catch (error) {
            if (!(error instanceof SpecError)) return logError(`docs: rebuilding ${apiName(spec)}.html failed: ${(error as Error).message}`);
            for (const problem of error.problems) logError(formatProblem(problem));
            logError(`docs: ${apiName(spec)}.html keeps its last good version`);
        }
    };

    return {
        url,
        async close() {
            watcher?.close();
            for (const timer of timers.values()) clearTimeout(timer);
            await rebuilding;
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

interface Answer {
    readonly status: number;
    readonly type: string;
    readonly body: string | Buffer;
}

/** The file a request names inside `docs/`, or why there is none. */
async function answer(root: string, url: string): Promise<Answer> {
    const text = (status: number, body: string): Answer => ({ status, type: "text/plain; charset=utf-8", body });
    let pathname: string;
    try {
        pathname = decodeURIComponent(new URL(url, "http://localhost").pathname);
    } catch {
        return text(400, "bad request: the URL is malformed");
    }
    if (pathname.includes("\0")) return text(400, "bad request");
    const file = path.join(root, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
    if (!file.startsWith(root + path.sep)) return text(403, "forbidden");
    try {
        // A symbolic link inside docs/ must not serve a file from elsewhere.
        const real = await realpath(file);
        if (!isWithin(real, await realpath(root))) return text(403, "forbidden");
        return { status: 200, type: TYPES[path.extname(file)] ?? "application/octet-stream", body: await readFile(real) };
    } catch {
        return text(404, "not found");
    }
}
