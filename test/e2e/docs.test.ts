import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { prepareApi } from "../../codegen/pipeline.js";
import { copyWorkspace, startJoinkit } from "../support/cli.js";
import { ROOT } from "../support/fixtures.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = path.join(ROOT, ".screenshots");
const SPECS = ["sonoran-cad", "amity-social-cloud", "sonoran-cms"];

let workspace: string;
let docs: ReturnType<typeof startJoinkit>;
let baseUrl: string;
let browser: Browser;

/** A page that records every request leaving 127.0.0.1 (and blocks it) and every console error. */
async function openPage(): Promise<{ page: Page; external: string[]; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const external: string[] = [];
    const errors: string[] = [];
    await page.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.protocol === "data:" || url.hostname === "127.0.0.1") return route.continue();
        external.push(url.href);
        return route.abort();
    });
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(String(error)));
    return { page, external, errors };
}

/** Every way a description has been known to run script through a markdown renderer. */
const RUN = "window.top.pwned=(window.top.pwned||0)+1;alert(1)";
const PAYLOADS = [
    `<script>${RUN}</script>`,
    `<img src=x onerror="${RUN}">`,
    `<svg onload="${RUN}"><circle r=1 /></svg>`,
    `<iframe srcdoc="<script>${RUN}</script>"></iframe>`,
    `<iframe src="javascript:${RUN}"></iframe>`,
    `<a href="javascript:${RUN}">click-js-html</a>`,
    `[click-js-md](javascript:${RUN})`,
    `<a href="data:text/html,<script>${RUN}</script>">click-data</a>`,
    `<object data="javascript:${RUN}"></object><embed src="javascript:${RUN}">`,
    `<details open ontoggle="${RUN}"><summary>t</summary>x</details>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${RUN}"></style></mglyph></table></mtext></math>`,
    `<form action="javascript:${RUN}"><button>click-form</button></form>`,
    `<meta http-equiv="refresh" content="0;url=javascript:${RUN}"><base href="javascript:${RUN}//">`,
    `<div style="background:url(javascript:${RUN})" onmouseover="${RUN}">hover-me</div>`,
].join("\n\n");

const HOSTILE_SPEC = stringify({
    openapi: "3.1.0",
    info: { title: "Hostile Docs API", version: "1", description: PAYLOADS, contact: { name: "click-contact", url: `javascript:${RUN}` } },
    externalDocs: { url: `javascript:${RUN}`, description: "click-external" },
    tags: [{ name: "evil", description: PAYLOADS }],
    servers: [{ url: "https://api.example.test" }],
    paths: {
        "/evil": {
            post: {
                operationId: "evil",
                tags: ["evil"],
                summary: "An evil operation",
                description: PAYLOADS,
                responses: {
                    "200": { description: PAYLOADS },
                    "400": {
                        description: PAYLOADS,
                        content: { "text/plain": { schema: { type: "string", description: PAYLOADS, enum: ["BAD"], "x-enum-descriptions": [PAYLOADS] } } },
                    },
                },
            },
        },
    },
});

beforeAll(async () => {
    workspace = copyWorkspace();
    writeFileSync(path.join(workspace, "specs/hostile-docs.yaml"), HOSTILE_SPEC);
    docs = startJoinkit(["docs", "--serve", "--port", "0"], workspace);
    const serving = await docs.next(/^docs: serving (http:\/\/127\.0\.0\.1:\d+\/)/);
    baseUrl = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(serving)![1]!;
    browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

/** An operation as written in the spec (its tags and responses, which the model does not keep). */
function specOperation(root: string, name: string, op: { method: string; path: string }): { tags: string[]; responses: Record<string, unknown> } {
    const document = parse(readFileSync(path.join(root, "specs", `${name}.yaml`), "utf8")) as Record<string, any>;
    return document.paths[op.path][op.method];
}

afterAll(async () => {
    await browser?.close();
    docs?.child.kill("SIGKILL");
});

describe("rendered API docs in Chromium", () => {
    it("lists every API on the index with its title, version, servers and operation count, and the links work", async () => {
        const { page, external, errors } = await openPage();
        await page.goto(baseUrl, { waitUntil: "networkidle" });
        await expect.poll(() => page.locator("li").count()).toBe(SPECS.length + 1); // and the hostile one
        const text = await page.innerText("body");
        expect(text).toContain("Sonoran CAD API v1");
        expect(text).toContain("1 operation · servers: https://api.sonorancad.com");
        expect(text).toContain("Amity Social Cloud API v4");
        expect(text).toContain("https://apix.{region}.amity.co (region: us | eu | sg; default https://apix.us.amity.co)");
        expect(text).toContain("Sonoran CMS API v2");
        expect(text).toContain("57 operations · servers: https://api.sonorancms.com, https://staging-api.dev.sonorancms.com");
        for (const [title, heading] of [
            ["Sonoran CAD API", "Sonoran CAD API (v1)"],
            ["Amity Social Cloud API", "Amity Social Cloud API (v4)"],
            ["Sonoran CMS API", "Sonoran CMS API (v2)"],
        ]) {
            await page.goto(baseUrl, { waitUntil: "networkidle" });
            await page.getByRole("link", { name: title }).click();
            await expect.poll(() => page.getByRole("heading", { name: heading }).isVisible()).toBe(true);
        }
        await page.screenshot({ path: path.join(SCREENSHOTS, "index.png") });
        expect(external).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
    }, 60_000);

    it.each(SPECS)("shows every operation, its errors and each error catalogue member of %s, loading nothing from elsewhere", async (name) => {
        const { model } = await prepareApi(path.join(workspace, "specs", `${name}.yaml`));
        const { page, external, errors } = await openPage();
        await page.goto(`${baseUrl}${name}.html`, { waitUntil: "networkidle" });
        await expect.poll(() => page.getByRole("heading", { name: new RegExp(`^${model.title}`) }).isVisible()).toBe(true);
        const overview = await page.innerText("body");
        for (const server of model.servers) expect(overview).toContain(server.url);

        for (const op of model.operations) {
            // A reader opens the operation from the API's operation list (its link ends in
            // the operation's slug), then each error response.
            const slug = op.operationId!.toLowerCase();
            const raw = specOperation(workspace, name, op);
            await page.getByRole("link", { name: raw.tags[0], exact: true }).first().click();
            await page.locator(`a[href$="/${slug}"]`).filter({ visible: true }).first().click();
            await expect.poll(() => page.getByRole("heading", { name: op.summary! }).first().isVisible(), { message: op.summary }).toBe(true);
            // Its rate limit, whether it is retried, and every error status are on the page.
            const section = page.locator(`[data-section-id$="/${slug}"]`).first();
            await expect.poll(() => section.innerText(), { message: `${op.operationId}: x-idempotent` }).toContain(`x-idempotent: ${op.idempotent}`);
            if (op.rateLimit) expect(await section.innerText()).toContain(`Rate limit: ${op.rateLimit.requests} request`);
            for (const status of Object.keys(raw.responses).filter((key) => /^(default|[45]..)$/i.test(key))) {
                await expect.poll(() => section.getByRole("tab", { name: status, exact: true }).first().isVisible(), { message: `${op.operationId} ${status}` }).toBe(true);
            }
            for (const decoder of op.errors) {
                const catalogue = model.catalogues.find((c) => c.name === decoder.catalogue)!;
                await page.getByRole("tab", { name: decoder.status, exact: true }).first().click();
                for (const member of catalogue.members) {
                    const row = page.getByRole("row").filter({ hasText: `${catalogue.name}.${member.name}` }).first();
                    await expect.poll(() => row.isVisible(), { message: `${decoder.status}: ${catalogue.name}.${member.name}` }).toBe(true);
                    const cells = await row.innerText();
                    expect(cells).toContain(JSON.stringify(member.value));
                    if (member.description) expect(cells).toContain(member.description.replace(/`/g, ""));
                }
            }
            // The screenshot shows what a reader came for: the first error catalogue's table.
            const first = op.errors[0] && model.catalogues.find((c) => c.name === op.errors[0]!.catalogue);
            if (first) {
                await page.getByRole("tab", { name: op.errors[0]!.status, exact: true }).first().click();
                await page.getByRole("row").filter({ hasText: `${first.name}.${first.members[0]!.name}` }).first().evaluate((row) => row.scrollIntoView({ block: "center" }));
            }
            await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
        }
        expect(external).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
    }, 240_000); // Amity: 7 operations × 9 error tabs × 13 catalogue rows; Sonoran CMS: 57 operations

    it("rebuilds a page when its spec changes, so a reload shows the edit", async () => {
        const spec = path.join(workspace, "specs/sonoran-cad.yaml");
        const rebuilt = docs.next(/^docs: rebuilt sonoran-cad\.html/);
        writeFileSync(spec, readFileSync(spec, "utf8").replace("summary: Join or leave a community", "summary: Join or leave a CAD community"));
        await rebuilt;
        const { page } = await openPage();
        await page.goto(`${baseUrl}sonoran-cad.html`, { waitUntil: "networkidle" });
        await page.getByText("General", { exact: true }).first().click(); // open the sidebar group
        await expect.poll(() => page.getByRole("link", { name: /Join or leave a CAD community/ }).isVisible()).toBe(true);
        await page.close();
    }, 60_000);

    it("runs nothing from hostile descriptions: no script, handler, javascript: or data: link, iframe, object or embed survives", async () => {
        const { page } = await openPage();
        const dialogs: string[] = [];
        page.on("dialog", (dialog) => {
            dialogs.push(dialog.message());
            void dialog.dismiss();
        });
        await page.goto(`${baseUrl}hostile-docs.html`, { waitUntil: "networkidle" });
        await expect.poll(() => page.getByRole("heading", { name: /^Hostile Docs API/ }).isVisible()).toBe(true);
        // Open the operation and its error response, so every description is rendered.
        await page.getByRole("link", { name: "post /evil", exact: true }).first().click({ timeout: 10_000 }).catch(() => undefined);
        await page.getByRole("tab", { name: "400", exact: true }).first().click({ timeout: 10_000 }).catch(() => undefined);
        for (const text of ["click-js-html", "click-js-md", "click-data", "click-form", "click-external", "click-contact", "hover-me"]) {
            for (const target of await page.getByText(text, { exact: true }).all()) {
                await target.hover({ timeout: 2_000 }).catch(() => undefined);
                await target.click({ timeout: 2_000 }).catch(() => undefined);
            }
        }
        await page.waitForTimeout(500);
        expect(dialogs).toEqual([]);
        expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
        const survivors = await page.evaluate(() => ({
            frames: document.querySelectorAll("iframe, frame, object, embed, form, base, meta[http-equiv]").length,
            handlers: [...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${el.tagName} ${a.name}`)),
            links: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")!).filter((href) => /^\s*(javascript|data|vbscript):/i.test(href)),
            srcdoc: document.querySelectorAll("[srcdoc]").length,
        }));
        expect(survivors).toEqual({ frames: 0, handlers: [], links: [], srcdoc: 0 });
        // The reader still sees what the spec says, as text.
        expect(await page.innerText("body")).toContain("<script>");
        await page.close();
    }, 60_000);

    it("answers a malformed URL with 400 and keeps serving", async () => {
        for (const bad of ["%E0%A4%A", "%", "..%2F..%2Fpackage.json", "%00"]) {
            const response = await fetch(`${baseUrl}${bad}`);
            expect([400, 403, 404], bad).toContain(response.status);
        }
        expect((await fetch(`${baseUrl}%E0%A4%A`)).status).toBe(400);
        expect((await fetch(baseUrl)).status).toBe(200);
    });

    it("stops cleanly on Ctrl-C", async () => {
        const stopped = docs.next(/^docs: stopped/);
        docs.child.kill("SIGINT");
        await stopped;
        expect(await docs.exited).toBe(0);
    });
});
