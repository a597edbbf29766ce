import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { serverUrl } from "../src/runtime/servers.js";
import { resolvePointer } from "./json-pointer.js";
import { prepareApi, type PreparedApi } from "./pipeline.js";
import type { CatalogueModel } from "./read-model.js";
import { SpecError, type SpecProblem } from "./spec-error.js";
import { apiName, listSpecs, type Workspace } from "./workspace.js";

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
    return path.join(workspace.root, "docs");
}

/**
 * Renders every spec to `docs/<name>.html` and writes `docs/index.html` listing them
 * (with `indexOnly`, reads the specs for the index and leaves the pages alone).
 */
export async function buildAllDocs(workspace: Workspace, options: { indexOnly?: boolean } = {}): Promise<DocsEntry[]> {
    const entries: DocsEntry[] = [];
    const problems: SpecProblem[] = [];
    for (const spec of await listSpecs(workspace)) {
        try {
            entries.push(options.indexOnly ? await describeApi(spec) : await buildDocsPage(workspace, spec));
        } catch (error) {
            if (!(error instanceof SpecError)) throw error;
            problems.push(...error.problems);
        }
    }
    await writeIndex(workspace, entries);
    if (problems.length > 0) throw new SpecError(problems);
    return entries;
}

/** Renders one spec's page with Redocly, the renderer inlined so the page needs no network. */
export async function buildDocsPage(workspace: Workspace, specFile: string): Promise<DocsEntry> {
    const api = await prepareApi(specFile, { displayName: path.relative(process.cwd(), specFile) });
    const name = apiName(specFile);
    const file = `${name}.html`;
    await mkdir(docsDir(workspace), { recursive: true });
    // Redocly reads a config from its working directory; an empty one keeps the repo's
    // lint settings (already applied above) out of rendering.
    const scratch = await mkdtemp(path.join(tmpdir(), "joinkit-docs-"));
    try {
        const input = path.join(scratch, `${name}.json`);
        const rendered = path.join(scratch, file);
        await writeFile(input, JSON.stringify(withCallNotes(withCatalogueTables(api), api)));
        await run(process.execPath, [REDOCLY_CLI, "build-docs", input, "--inlineBundle", "--output", rendered, "--lint-config", "off"], {
            cwd: scratch,
            env: { ...process.env, ...REDOCLY_ENV },
            maxBuffer: 16 * 1024 * 1024,
        });
        await writeFile(path.join(docsDir(workspace), file), withoutRemoteAssets(await readFile(rendered, "utf8")));
    } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? (error as Error).message;
        throw new SpecError([{ file: api.spec.displayName, rule: "build-docs", message: stderr.trim(), severity: "error" }]);
    } finally {
        await rm(scratch, { recursive: true, force: true });
    }
    return entryFor(name, api);
}

async function describeApi(specFile: string): Promise<DocsEntry> {
    return entryFor(apiName(specFile), await prepareApi(specFile, { displayName: path.relative(process.cwd(), specFile) }));
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

async function writeIndex(workspace: Workspace, entries: readonly DocsEntry[]): Promise<void> {
    await mkdir(docsDir(workspace), { recursive: true });
    await writeFile(path.join(docsDir(workspace), "index.html"), renderIndex(entries));
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
