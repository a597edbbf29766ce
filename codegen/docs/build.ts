import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { serverUrl } from "joinkit/runtime";
import { sanitizeForDocs } from "./sanitize.js";
import { MANIFEST_FILE, manifestText } from "../emit/manifest.js";
import { ownedFiles, refuseUnsafeLocation, writeFolder } from "../output/folder.js";
import { prepareApi, type GenerateOptions, type PreparedApi } from "../pipeline.js";
import { codesByStatus, joinMarkdown, withErrorTables } from "./errors.js";
import { BAR_HEIGHT, escapeHtml, withPageChrome, type Anchor } from "./page.js";
import { GENERATED_LABEL, generatedClientSample, type CodeSample } from "./samples.js";
import { shippedClientSample } from "./shipped-samples.js";
import { SpecError, type SpecProblem } from "../core/spec-error.js";
import { apiName, listSpecs, specFolders, type Workspace } from "../output/workspace.js";

const run = promisify(execFile);
const REDOCLY_CLI = path.join(
    path.dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")),
    "bin/cli.js",
);

/** Environment for every Redocly process joinkit starts: no telemetry, no update checks. */
export const REDOCLY_ENV = { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

export interface DocsEntry {
    readonly name: string;
    readonly title: string;
    readonly version: string;
    readonly servers: readonly string[];
    readonly operations: number;
    readonly file: string;
    /** Each operation's deep link on the page, with what the index shows for it. */
    readonly links: readonly {
        readonly anchor: string;
        readonly method: string;
        readonly path: string;
        readonly summary?: string;
    }[];
}

export function docsDir(workspace: Workspace): string {
    return workspace.docsDir;
}

export interface DocsOptions {
    /** Render only this spec's page; the others keep theirs and are only read for the index. */
    readonly only?: string;
    /** What the specs may read and load (see GenerateOptions). */
    readonly access?: GenerateOptions;
    /** Told, for each spec read, every file its page depends on (the spec and what its `$ref`s reach). */
    readonly onDependencies?: (spec: string, dependencies: readonly string[]) => void;
}

/**
 * Renders every spec to `docs/<name>.html` and writes `docs/index.html` listing them. The
 * pages are joinkit's (named in `docs/.joinkit-manifest.json`); anything else in `docs/` is
 * kept, and a file joinkit did not write is never overwritten. A spec that fails keeps its
 * last good page.
 */
export async function buildAllDocs(workspace: Workspace, options: DocsOptions = {}): Promise<DocsEntry[]> {
    const entries: DocsEntry[] = [];
    const pages = new Map<string, string>();
    const problems: SpecProblem[] = [];
    const folders = specFolders(await listSpecs(workspace));
    for (const [name, spec] of folders) {
        try {
            const api = await prepareApi(spec, {
                ...options.access,
                displayName: path.relative(process.cwd(), spec),
                cwd: workspace.root,
            });
            options.onDependencies?.(spec, api.dependencies);
            if (options.only === undefined || options.only === spec) {
                pages.set(`${name}.html`, await renderPage(name, api, await pageContext(workspace, name)));
            }
            entries.push(entryFor(name, api));
        } catch (error) {
            if (!(error instanceof SpecError)) throw error;
            problems.push(...error.problems);
        }
    }
    await writeDocs(workspace, entries, pages, new Set(folders.keys()));
    if (problems.length > 0) throw new SpecError(problems);
    return entries;
}

/** Replaces joinkit's files in `docs/` in one swap: new pages, last good pages of the rest, the index. */
async function writeDocs(
    workspace: Workspace,
    entries: readonly DocsEntry[],
    pages: ReadonlyMap<string, string>,
    names: ReadonlySet<string>,
): Promise<void> {
    const dir = docsDir(workspace);
    const files = new Map<string, string>();
    for (const file of await ownedFiles(dir)) {
        if (file.endsWith(".html") && names.has(file.slice(0, -".html".length))) {
            files.set(file, await readFile(path.join(dir, file), "utf8"));
        }
    }
    for (const [file, html] of pages) files.set(file, html);
    files.set("index.html", renderIndex(entries));
    files.delete(MANIFEST_FILE);
    files.set(MANIFEST_FILE, manifestText("specs/", files));
    refuseUnsafeLocation(dir, { project: workspace.project, specs: await listSpecs(workspace) });
    await writeFolder(dir, files, { allowForeign: true, displayName: path.relative(process.cwd(), dir) || dir });
}

/** Renders one spec's page with Redocly, the renderer inlined so the page needs no network. */
async function renderPage(name: string, api: PreparedApi, context: PageContext): Promise<string> {
    const file = `${name}.html`;
    // Redocly reads a config from its working directory: an empty one of joinkit's own keeps
    // any other config (and its plugins) out of rendering; lint already ran.
    const scratch = await mkdtemp(path.join(tmpdir(), "joinkit-docs-"));
    try {
        const input = path.join(scratch, `${name}.json`);
        const rendered = path.join(scratch, file);
        const config = path.join(scratch, "redocly.yaml");
        await writeFile(config, "{}\n");
        const document = sanitizeForDocs(docsDocument(name, api, context));
        const options = path.join(scratch, "redoc-options.json");
        await writeFile(input, JSON.stringify(document));
        await writeFile(options, JSON.stringify(redocOptions(document)));
        await run(
            process.execPath,
            [
                REDOCLY_CLI,
                "build-docs",
                input,
                "--inlineBundle",
                "--output",
                rendered,
                "--config",
                config,
                "--lint-config",
                "off",
                "--openapi",
                options,
            ],
            { cwd: scratch, env: { ...process.env, ...REDOCLY_ENV }, maxBuffer: 16 * 1024 * 1024 },
        );
        const anchors = api.model.operations.map((op) => anchorOf(op, api.bundled as Record<string, any>));
        return withPageChrome(withoutRemoteAssets(await readFile(rendered, "utf8")), {
            title: `${api.model.title} ${api.model.version}`,
            anchors,
        });
    } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? (error as Error).message;
        throw new SpecError([{
            file: api.spec.displayName,
            rule: "build-docs",
            message: stderr.trim(),
            severity: "error",
        }]);
    } finally {
        await rm(scratch, { recursive: true, force: true });
    }
}

/** The operation's deep link, with the sidebar label of its first tag (`x-displayName` if the tag has one). */
function anchorOf(op: PreparedApi["model"]["operations"][number], document: Record<string, any>): Anchor {
    const tag = document.paths?.[op.path]?.[op.method]?.tags?.[0];
    if (typeof tag !== "string") return { name: op.name };
    const declared = (Array.isArray(document.tags) ? document.tags : []).find((t: { name?: unknown }) =>
        t?.name === tag
    );
    const label = typeof declared?.["x-displayName"] === "string" ? declared["x-displayName"] : tag;
    return { name: op.name, tag: label };
}

function entryFor(name: string, api: PreparedApi): DocsEntry {
    return {
        name,
        title: api.model.title,
        version: api.model.version,
        servers: api.model.servers.map((server) => describeServer(server)),
        operations: api.model.operations.length,
        file: `${name}.html`,
        links: api.model.operations.map((op) => ({
            anchor: op.name,
            method: op.method,
            path: op.path,
            ...(op.summary ? { summary: op.summary } : {}),
        })),
    };
}

// The inlined renderer still fetches its "API docs by Redocly" badge from a CDN; the page
// must load nothing from elsewhere, so the badge is inlined as a small SVG.
const BADGE = `data:image/svg+xml;base64,${
    Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#6b7280">Redocly</text></svg>',
    ).toString("base64")
}`;
const REMOTE_ASSETS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];

function withoutRemoteAssets(html: string): string {
    return REMOTE_ASSETS.reduce((page, url) => page.split(url).join(BADGE), html);
}

/**
 * The document Redoc renders: each error response with its own codes (see docs-errors),
 * each operation with its call notes, its link anchor and its TypeScript samples, and
 * its operationId set to the wrapper's name, so Redoc's route for it ends in that name
 * (the deep-link script finds it there).
 */
function docsDocument(name: string, api: PreparedApi, context: PageContext): Record<string, unknown> {
    const doc = withErrorTables(api.bundled, api.model);
    for (const op of api.model.operations) {
        const operation = doc.paths?.[op.path]?.[op.method] as Record<string, any> | undefined;
        if (!operation) continue;
        const codes = codesByStatus(api.bundled, api.model, op);
        const notes = [
            `**Link:** [\`${name}.html#${op.name}\`](#${op.name})`,
            op.rateLimit
            && `**Rate limit:** ${op.rateLimit.requests} request${
                op.rateLimit.requests === 1 ? "" : "s"
            } per ${op.rateLimit.perSeconds} s (\`x-rate-limit\`; the client queues calls to stay under it).`,
            `**Retried on failure:** ${
                op.idempotent ? "yes, it is safe to repeat" : "no, it is not safe to repeat"
            } (\`x-idempotent: ${op.idempotent}\`).`,
        ].filter(Boolean);
        operation.description = joinMarkdown(operation.description, notes.join("\n\n"));
        operation.operationId = op.name;
        const samples = [
            generatedClientSample(op, codes, {
                document: api.bundled,
                model: api.model,
                generatedModule: context.generatedModule,
            }),
            shippedClientSample(name, op, codes, api.bundled, context.shippedClients),
        ].filter((sample) => sample !== undefined);
        operation["x-codeSamples"] = samples;
    }
    return doc;
}

/**
 * Redoc's options: room for joinkit's bar, and the request panel's languages — the page's
 * TypeScript samples first (the generated client, then the shipped one), then the curl
 * command Redoc writes itself and the bare payload.
 */
function redocOptions(document: Record<string, any>): Record<string, unknown> {
    const labels = new Set<string>();
    for (const item of Object.values(document.paths ?? {}) as Record<string, any>[]) {
        for (const operation of Object.values(item ?? {}) as Record<string, any>[]) {
            for (const sample of (operation?.["x-codeSamples"] ?? []) as CodeSample[]) labels.add(sample.label);
        }
    }
    const ordered = [...labels].sort((
        a,
        b,
    ) => (a === GENERATED_LABEL ? -1 : b === GENERATED_LABEL ? 1 : a.localeCompare(b)));
    return {
        scrollYOffset: BAR_HEIGHT,
        codeSamples: {
            languages: [...ordered.map((label) => ({ lang: "TypeScript", label })), { lang: "curl", label: "curl" }, {
                lang: "payload",
                label: "Payload",
            }],
        },
    };
}

/**
 * Every TypeScript sample of a spec's page, by operation, as `joinkit docs` writes them
 * (for the test that type-checks them). `context` overrides where the samples import the
 * generated client from (a user's project: its generated/ folder).
 */
export async function docsSamples(
    spec: string,
    workspace: Workspace,
    context?: PageContext,
): Promise<{ operation: string; label: string; source: string }[]> {
    const api = await prepareApi(spec, { cwd: workspace.root });
    const name = apiName(spec);
    const doc = docsDocument(name, api, context ?? (await pageContext(workspace, name))) as Record<string, any>;
    return api.model.operations.flatMap((op) =>
        ((doc.paths?.[op.path]?.[op.method]?.["x-codeSamples"] ?? []) as CodeSample[]).map((sample) => ({
            operation: op.name,
            label: sample.label,
            source: sample.source,
        }))
    );
}

export interface PageContext {
    /** Where the samples import the generated client from. */
    readonly generatedModule: string;
    /** Whether the project is this package, whose shipped clients get samples too. */
    readonly shippedClients: boolean;
}

/**
 * In this package the generated clients are published as `joinkit/apis/<name>`; in any
 * other project they are the files in its generated/ folder.
 */
async function pageContext(workspace: Workspace, name: string): Promise<PageContext> {
    let packageName: unknown;
    try {
        packageName =
            (JSON.parse(await readFile(path.join(workspace.project, "package.json"), "utf8")) as { name?: unknown })
                .name;
    } catch {
        packageName = undefined;
    }
    if (packageName === "joinkit") return { generatedModule: `joinkit/apis/${name}`, shippedClients: true };
    const relative = path.relative(workspace.project, path.join(workspace.generatedDir, name)).split(path.sep).join(
        "/",
    );
    return { generatedModule: `./${relative}/index.js`, shippedClients: false };
}

function describeServer(server: PreparedApi["model"]["servers"][number]): string {
    const variables = Object.entries(server.variables ?? {});
    if (variables.length === 0) return server.url;
    const choices = variables.map(([name, v]) => `${name}: ${(v.enum ?? [v.default]).join(" | ")}`).join(", ");
    let example = server.url;
    try {
        example = serverUrl(server);
    } catch {
        // A default outside its own enum: show the template only.
    }
    return `${server.url} (${choices}; default ${example})`;
}

/** APIs with up to this many operations show their list open on the index. */
const OPEN_LIST = 12;

/** The index page: plain HTML, no script, nothing loaded from anywhere. */
export function renderIndex(entries: readonly DocsEntry[]): string {
    const rows = entries
        .map(
            (e) =>
                `      <li>
        <a href="${escapeHtml(e.file)}">${escapeHtml(e.title)}</a> <span class="version">${escapeHtml(e.version)}</span>
        <div class="meta">${e.operations} operation${e.operations === 1 ? "" : "s"} · servers: ${
                    e.servers.map((s) => `<code>${escapeHtml(s)}</code>`).join(", ") || "none"
                }</div>
        <details${e.links.length <= OPEN_LIST ? " open" : ""}>
          <summary>Operations</summary>
          <ul class="operations">
${
                    e.links
                        .map(
                            (link) =>
                                `            <li><a href="${
                                    escapeHtml(`${e.file}#${link.anchor}`)
                                }"><span class="method">${escapeHtml(link.method.toUpperCase())}</span> ${
                                    escapeHtml(link.summary ?? link.path)
                                }</a> <code>${escapeHtml(link.path)}</code></li>`,
                        )
                        .join("\n")
                }
          </ul>
        </details>
      </li>`,
        )
        .join("\n");
    return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>API documentation</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 48rem; margin: 3rem auto; padding: 0 1rem; color: #1f2933; }
      ul { list-style: none; padding: 0; }
      li { padding: 1rem 0; border-bottom: 1px solid #e4e7eb; }
      a { font-size: 1.25rem; font-weight: 600; color: #0b5cad; }
      details { margin-top: 0.5rem; }
      summary { cursor: pointer; color: #52606d; }
      ul.operations li { padding: 0.2rem 0; border: 0; }
      ul.operations a { font-size: 0.95rem; font-weight: 500; }
      .method { display: inline-block; min-width: 4rem; font: 600 0.75rem ui-monospace, monospace; color: #52606d; }
      .version { color: #52606d; }
      .meta { color: #52606d; font-size: 0.9rem; }
      code { font-size: 0.85rem; }
    </style>
  </head>
  <body>
    <h1>API documentation</h1>
    <ul>
${rows}
    </ul>
  </body>
</html>
`;
}
