import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { serverUrl } from "../src/runtime/servers.js";
import { resolvePointer } from "./json-pointer.js";
import { sanitizeForDocs } from "./docs-sanitize.js";
import { MANIFEST_FILE, manifestText, ownedFiles, refuseUnsafeLocation, writeFolder } from "./output.js";
import { prepareApi, type GenerateOptions, type PreparedApi } from "./pipeline.js";
import type { CatalogueModel } from "./model/index.js";
import { SpecError, type SpecProblem } from "./spec-error.js";
import { listSpecs, specFolders, type Workspace } from "./workspace.js";

const run = promisify(execFile);
const REDOCLY_CLI = path.join(path.dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin/cli.js");

/** Environment for every Redocly process joinkit starts: no telemetry, no update checks. */
export const REDOCLY_ENV = { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

export interface DocsEntry {
    readonly name: string;
    readonly title: string;
    readonly version: string;
    readonly servers: readonly string[];
    readonly operations: number;
    readonly file: string;
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
            const api = await prepareApi(spec, { ...options.access, displayName: path.relative(process.cwd(), spec), cwd: workspace.root });
            options.onDependencies?.(spec, api.dependencies);
            if (options.only === undefined || options.only === spec) pages.set(`${name}.html`, await renderPage(name, api));
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
async function writeDocs(workspace: Workspace, entries: readonly DocsEntry[], pages: ReadonlyMap<string, string>, names: ReadonlySet<string>): Promise<void> {
    const dir = docsDir(workspace);
    const files = new Map<string, string>();
    for (const file of await ownedFiles(dir)) {
        if (file.endsWith(".html") && names.has(file.slice(0, -".html".length))) files.set(file, await readFile(path.join(dir, file), "utf8"));
    }
    for (const [file, html] of pages) files.set(file, html);
    files.set("index.html", renderIndex(entries));
    files.delete(MANIFEST_FILE);
    files.set(MANIFEST_FILE, manifestText("specs/", files));
    refuseUnsafeLocation(dir, { project: workspace.project, specs: await listSpecs(workspace) });
    await writeFolder(dir, files, { allowForeign: true, displayName: path.relative(process.cwd(), dir) || dir });
}

/** Renders one spec's page with Redocly, the renderer inlined so the page needs no network. */
async function renderPage(name: string, api: PreparedApi): Promise<string> {
    const file = `${name}.html`;
    // Redocly reads a config from its working directory: an empty one of joinkit's own keeps
    // any other config (and its plugins) out of rendering; lint already ran.
    const scratch = await mkdtemp(path.join(tmpdir(), "joinkit-docs-"));
    try {
        const input = path.join(scratch, `${name}.json`);
        const rendered = path.join(scratch, file);
        const config = path.join(scratch, "redocly.yaml");
        await writeFile(config, "{}\n");
        await writeFile(input, JSON.stringify(sanitizeForDocs(withCallNotes(withCatalogueTables(api), api))));
        await run(
            process.execPath,
            [REDOCLY_CLI, "build-docs", input, "--inlineBundle", "--output", rendered, "--config", config, "--lint-config", "off"],
            { cwd: scratch, env: { ...process.env, ...REDOCLY_ENV }, maxBuffer: 16 * 1024 * 1024 },
        );
        return withoutRemoteAssets(await readFile(rendered, "utf8"));
    } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? (error as Error).message;
        throw new SpecError([{ file: api.spec.displayName, rule: "build-docs", message: stderr.trim(), severity: "error" }]);
    } finally {
        await rm(scratch, { recursive: true, force: true });
    }
}

function entryFor(name: string, api: PreparedApi): DocsEntry {
    return {
        name,
        title: api.model.title,
        version: api.model.version,
        servers: api.model.servers.map((server) => describeServer(server)),
        operations: api.model.operations.length,
        file: `${name}.html`,
    };
}

// The inlined renderer still fetches its "API docs by Redocly" badge from a CDN; the page
// must load nothing from elsewhere, so the badge is inlined as a small SVG.
const BADGE = `data:image/svg+xml;base64,${Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#6b7280">Redocly</text></svg>',
).toString("base64")}`;
const REMOTE_ASSETS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];

function withoutRemoteAssets(html: string): string {
    return REMOTE_ASSETS.reduce((page, url) => page.split(url).join(BADGE), html);
}

/**
 * Redoc shows enum values but not the names and meanings codegen gives them. Where a
 * reader looks for an error (the error response, and the catalogue schema itself), add a
 * table of value, enum member and description.
 */
function withCatalogueTables(api: PreparedApi): Record<string, unknown> {
    const doc = structuredClone(api.bundled) as Record<string, any>;
    const byName = new Map(api.model.catalogues.map((c) => [c.name, c]));
    for (const catalogue of api.model.catalogues) {
        const schema = resolvePointer(doc, catalogue.pointer) as Record<string, any> | undefined;
        if (!schema) continue;
        schema.description = joinMarkdown(schema.description, catalogueTable(catalogue));
        schema["x-enumDescriptions"] = Object.fromEntries(catalogue.members.map((m) => [String(m.value), m.description ?? m.name]));
    }
    for (const op of api.model.operations) {
        const responses = doc.paths?.[op.path]?.[op.method]?.responses ?? {};
        for (const decoder of op.errors) {
            const catalogue = byName.get(decoder.catalogue)!;
            const response = responses[decoder.status];
            const target = (typeof response?.$ref === "string" ? resolvePointer(doc, response.$ref) : response) as Record<string, any> | undefined;
            if (!target || String(target.description ?? "").includes(`\`${catalogue.name}\` error catalogue`)) continue;
            target.description = joinMarkdown(target.description, catalogueTable(catalogue));
        }
    }
    return doc;
}

/**
 * Redoc does not render `x-rate-limit` or `x-idempotent`, yet a reader needs both before
 * calling: add them to each operation's description, from the same model the client uses.
 */
function withCallNotes(doc: Record<string, any>, api: PreparedApi): Record<string, unknown> {
    for (const op of api.model.operations) {
        const operation = doc.paths?.[op.path]?.[op.method] as Record<string, any> | undefined;
        if (!operation) continue;
        const notes = [
            op.rateLimit &&
                `**Rate limit:** ${op.rateLimit.requests} request${op.rateLimit.requests === 1 ? "" : "s"} per ${op.rateLimit.perSeconds} s (\`x-rate-limit\`; the client queues calls to stay under it).`,
            `**Retried on failure:** ${op.idempotent ? "yes, it is safe to repeat" : "no, it is not safe to repeat"} (\`x-idempotent: ${op.idempotent}\`).`,
        ].filter(Boolean);
        operation.description = joinMarkdown(operation.description, notes.join("\n\n"));
    }
    return doc;
}

function catalogueTable(catalogue: CatalogueModel): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
    const rows = catalogue.members.map((m) => `| \`${cell(JSON.stringify(m.value))}\` | \`${catalogue.name}.${m.name}\` | ${cell(m.description ?? "")} |`);
    return [`**The \`${catalogue.name}\` error catalogue**`, "", "| Value | Enum member | Meaning |", "|---|---|---|", ...rows].join("\n");
}

function joinMarkdown(existing: unknown, addition: string): string {
    return typeof existing === "string" && existing.trim() !== "" ? `${existing.trimEnd()}\n\n${addition}` : addition;
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

/** The index page: plain HTML, no script, nothing loaded from anywhere. */
export function renderIndex(entries: readonly DocsEntry[]): string {
    const escape = (text: string) =>
        text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
    const rows = entries
        .map(
            (e) => `      <li>
        <a href="${escape(e.file)}">${escape(e.title)}</a> <span class="version">${escape(e.version)}</span>
        <div class="meta">${e.operations} operation${e.operations === 1 ? "" : "s"} · servers: ${e.servers.map((s) => `<code>${escape(s)}</code>`).join(", ") || "none"}</div>
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
