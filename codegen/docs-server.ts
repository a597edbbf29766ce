import { watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { buildAllDocs, buildDocsPage, docsDir } from "./docs.js";
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
export async function serveDocs(workspace: Workspace, options: { port: number; watch: boolean }, log: Log, logError: Log): Promise<DocsServer> {
    const root = docsDir(workspace);
    const server: Server = createServer(async (req, res) => {
        const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
        const file = path.join(root, pathname.endsWith("/") ? `${pathname}index.html` : pathname);
        if (!file.startsWith(root + path.sep)) return void res.writeHead(403).end();
        try {
            const body = await readFile(file);
            res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" }).end(body);
        } catch {
            res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
        }
    });
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
            await buildDocsPage(workspace, spec);
            // The index lists every spec's title and operation count, so it follows any page.
            await buildAllDocs(workspace, { indexOnly: true });
            log(`docs: rebuilt ${apiName(spec)}.html (${Math.round(performance.now() - started)} ms)`);
        } catch (error) {
            if (!(error instanceof SpecError)) throw error;
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
