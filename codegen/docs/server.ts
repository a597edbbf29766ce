import { realpath } from "node:fs/promises";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import serveStatic from "serve-static";
import { buildAllDocs, docsDir } from "./build.js";
import type { GenerateOptions } from "../pipeline.js";
import { isWithin } from "../core/project.js";
import { formatProblem, SpecError } from "../core/spec-error.js";
import { watchSpecs, type SpecWatcher } from "../output/spec-watcher.js";
import { apiName, isSpecFile, listSpecs, type Workspace } from "../output/workspace.js";

export interface DocsServer {
    readonly url: string;
    close(): Promise<void>;
}

export interface ServeOptions {
    readonly port: number;
    /** Rebuild a page whenever its spec, or a file its `$ref`s reach, is saved. */
    readonly watch: boolean;
    readonly access?: GenerateOptions;
    /** Every spec's dependencies from the build just made, so serving starts without rebuilding. */
    readonly built?: ReadonlyMap<string, readonly string[]>;
}

type Log = (line: string) => void;

/**
 * Serves the docs folder on 127.0.0.1 (each request's path read once, by servedPath, and
 * confined to the folder's real location; serve-static then serves that file, so dotfiles
 * such as joinkit's manifest, `..` and links out of the folder are never served)
 * and, with `watch`, rebuilds a spec's page (and the index) when the spec or a file its
 * `$ref`s reach is saved, so a reload shows the edit.
 */
export async function serveDocs(
    workspace: Workspace,
    options: ServeOptions,
    log: Log,
    logError: Log,
): Promise<DocsServer> {
    const root = docsDir(workspace);
    const server = createServer(docsHandler(root));
    server.on("clientError", (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port, "127.0.0.1", resolve);
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const watcher = options.watch ? watchDocs(workspace, options, log, logError) : undefined;
    await watcher?.ready;
    return {
        url,
        async close() {
            await watcher?.close();
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

/** The request handler: every request gets an answer, whatever its URL; a bad one is never a crash. */
export function docsHandler(root: string): (req: import("node:http").IncomingMessage, res: ServerResponse) => void {
    const plain = (res: ServerResponse, status: number, body: string) => {
        if (res.headersSent) return void res.destroy();
        res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" }).end(body);
    };
    const answer = (res: ServerResponse, status: number) =>
        plain(
            res,
            status,
            status === 400
                ? "bad request: the URL is malformed"
                : status === 403
                ? "forbidden"
                : status === 404
                ? "not found"
                : "cannot serve this",
        );
    return (req, res) => {
        servedPath(root, req.url ?? "/").then(
            (served) => {
                if (typeof served === "number") return answer(res, served);
                // serve-static gets the one path this handler resolved and confined, in a form it
                // parses exactly as this handler did (one leading slash, no `.`/`..`, escaped).
                req.url = served.url;
                serveStatic(served.root, SERVE_OPTIONS)(
                    req,
                    res,
                    (error?: { status?: number; statusCode?: number }) =>
                        answer(res, error?.status ?? error?.statusCode ?? 404),
                );
            },
            () => plain(res, 500, "internal error"),
        );
    };
}

const SERVE_OPTIONS: serveStatic.ServeStaticOptions = {
    dotfiles: "ignore",
    index: ["index.html"],
    fallthrough: false,
    etag: false,
    lastModified: false,
    cacheControl: false,
    // The pages change under the reader while serving: never cache them.
    setHeaders: (res) => res.setHeader("Cache-Control", "no-store"),
};

/**
 * The one reading of a request's URL: the path it names inside the docs folder, followed
 * through symbolic links, as a URL relative to the folder's real location; or the status
 * to answer with (400 a URL that does not decode or holds NUL, 403 a path that leaves the
 * folder, by `..` or through a link, 404 a dotfile or nothing there). The path is the
 * request target up to `?` or `#`, taken as a path whatever it looks like: `//link/x`
 * is the folder's `link/x`, never a host named `link`.
 */
export async function servedPath(root: string, requestUrl: string): Promise<{ root: string; url: string } | number> {
    const raw = requestUrl.split(/[?#]/, 1)[0]!;
    if (!raw.startsWith("/")) return 400;
    let decoded: string;
    try {
        decoded = decodeURIComponent(raw);
    } catch {
        return 400;
    }
    if (decoded.includes("\0")) return 400;
    const segments = decoded.split("/").filter((segment) => segment !== "" && segment !== ".");
    if (segments.includes("..")) return 403;
    if (segments.some((segment) => segment.startsWith("."))) return 404;
    let realRoot: string;
    let real: string;
    try {
        realRoot = await realpath(root);
        real = await realpath(path.join(realRoot, ...segments));
    } catch {
        return 404;
    }
    if (!isWithin(real, realRoot)) return 403;
    const inside = path.relative(realRoot, real).split(path.sep).filter((segment) => segment !== "");
    if (inside.some((segment) => segment.startsWith("."))) return 404;
    const trailing = decoded.endsWith("/") && inside.length > 0 ? "/" : "";
    return { root: realRoot, url: `/${inside.map(encodeURIComponent).join("/")}${trailing}` };
}

/** The docs' watcher: the same dependency-aware watcher `generate --watch` uses. */
function watchDocs(workspace: Workspace, options: ServeOptions, log: Log, logError: Log): SpecWatcher {
    const page = (spec: string) => `${apiName(spec)}.html`;
    const report = (error: SpecError) => {
        for (const problem of error.problems) logError(formatProblem(problem));
    };
    return watchSpecs(
        {
            folder: workspace.specFiles ? undefined : workspace.specsDir,
            listSpecs: () => listSpecs(workspace),
            isSpecFile,
            async build(spec) {
                const started = performance.now();
                let dependencies: readonly string[] | undefined;
                const onDependencies = (file: string, files: readonly string[]) => {
                    if (file === spec) dependencies = files;
                };
                try {
                    // The index lists every spec's title and operation count, so it follows any page.
                    await buildAllDocs(workspace, { only: spec, access: options.access, onDependencies });
                } catch (error) {
                    // Another spec's problems do not stop this page: it was written, and is reported.
                    if (!(error instanceof SpecError) || dependencies === undefined) throw error;
                    report(error);
                    logError(`docs: other specs have the problems above; their pages keep their last good version`);
                }
                log(`docs: rebuilt ${page(spec)} (${Math.round(performance.now() - started)} ms)`);
                return dependencies ?? [spec];
            },
            async removed(spec) {
                await buildAllDocs(workspace, { only: spec, access: options.access }).catch((error: unknown) => {
                    if (!(error instanceof SpecError)) throw error;
                    report(error);
                });
                log(`docs: ${path.basename(spec)} deleted; removed ${page(spec)} and its index entry`);
            },
            failed(spec, error) {
                if (error instanceof SpecError) {
                    report(error);
                    logError(
                        `docs: ${
                            spec ? page(spec) : "the page"
                        } keeps its last good version; the next save tries again`,
                    );
                } else {
                    logError(
                        `docs: rebuilding ${spec ? page(spec) : "the docs"} failed: ${
                            (error as Error)?.message ?? String(error)
                        }; the next save tries again`,
                    );
                }
            },
        },
        options.built,
    );
}
