import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { codesByStatus } from "../../codegen/docs/errors.js";
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
    // Where a sanitiser's guess at Markdown code and the renderer's reading differ: an escaped
    // backtick, a code span across a blank line, a fence whose info string holds a backtick,
    // a fence inside a block quote; and Markdoc's own tags (Redoc renders its `html` tag as any
    // element), alone and inside a fence, which Markdoc processes.
    `a \\\`<iframe srcdoc="<script>${RUN}</script>"></iframe>\``,
    `\`a\n\n<iframe srcdoc="<script>${RUN}</script>"></iframe> \``,
    `\`\`\` a\`b\n<iframe srcdoc="<script>${RUN}</script>"></iframe>\n\`\`\``,
    `> \`\`\`\n<iframe srcdoc="<script>${RUN}</script>"></iframe>\n\`\`\``,
    `{% html name="iframe" attrs={srcdoc: "<script>${RUN}</script>"} /%}`,
    `\`\`\`\n{% html name="iframe" attrs={srcdoc: "<script>${RUN}</script>"} /%}\n\`\`\``,
].join("\n\n");

const HOSTILE_SPEC = stringify({
    openapi: "3.1.0",
    info: {
        title: "Hostile Docs API",
        version: "1",
        summary: PAYLOADS,
        description: PAYLOADS,
        contact: { name: "click-contact", url: `javascript:${RUN}` },
    },
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
                // Example values become the TypeScript sample's literals, shown as code.
                requestBody: {
                    required: true,
                    content: {
                        "application/json": {
                            schema: {
                                type: "object",
                                required: ["note"],
                                properties: {
                                    note: {
                                        type: "string",
                                        example: `</script><script>${RUN}</script>\u2028\`\${${RUN}}`,
                                    },
                                },
                            },
                        },
                    },
                },
                responses: {
                    "200": { description: PAYLOADS, "x-summary": PAYLOADS },
                    "400": {
                        description: PAYLOADS,
                        content: {
                            "text/plain": {
                                schema: {
                                    type: "string",
                                    description: PAYLOADS,
                                    enum: ["BAD"],
                                    "x-enum-descriptions": [PAYLOADS],
                                },
                            },
                        },
                    },
                },
            },
        },
    },
});

beforeAll(async () => {
    workspace = copyWorkspace();
    writeFileSync(path.join(workspace, "specs/hostile-docs.yaml"), HOSTILE_SPEC);
    // This package's own specs, whose pages also show the shipped clients.
    writeFileSync(
        path.join(workspace, "package.json"),
        JSON.stringify({ name: "joinkit", private: true, type: "module" }),
    );
    docs = startJoinkit(["docs", "--serve", "--port", "0"], workspace);
    const serving = await docs.next(/^docs: serving (http:\/\/127\.0\.0\.1:\d+\/)/);
    baseUrl = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(serving)![1]!;
    browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

/** Where the operation's section starts in the viewport (-1 while it is not rendered). */
async function sectionTop(page: Page, operation: string): Promise<number> {
    const section = page.locator(`[data-section-id$="/${operation.toLowerCase()}"]`).first();
    if ((await section.count()) === 0) return -1;
    return Math.round((await section.boundingBox())?.y ?? -1);
}

afterAll(async () => {
    await browser?.close();
    docs?.child.kill("SIGKILL");
});

describe("rendered API docs in Chromium", () => {
    it(
        "lists every API on the index with its title, version, servers, operation count and a link to each operation, and the links work",
        async () => {
            const { page, external, errors } = await openPage();
            await page.goto(baseUrl, { waitUntil: "networkidle" });
            await expect.poll(() => page.locator("body > ul > li").count()).toBe(SPECS.length + 1); // and the hostile one
            const text = await page.innerText("body");
            expect(text).toContain("Sonoran CAD API v1");
            expect(text).toContain("1 operation · servers: https://api.sonorancad.com");
            expect(text).toContain("Amity Social Cloud API v4");
            expect(text).toContain(
                "https://apix.{region}.amity.co (region: us | eu | sg; default https://apix.us.amity.co)",
            );
            expect(text).toContain("Sonoran CMS API v2");
            expect(text).toContain(
                "57 operations · servers: https://api.sonorancms.com, https://staging-api.dev.sonorancms.com",
            );
            // Every operation of every API has its link, to the page's deep link.
            for (const name of SPECS) {
                const { model } = await prepareApi(path.join(workspace, "specs", `${name}.yaml`));
                const hrefs = await page.locator(`a[href^="${name}.html#"]`).evaluateAll((links) =>
                    links.map((a) => a.getAttribute("href"))
                );
                expect(hrefs.sort()).toEqual(model.operations.map((op) => `${name}.html#${op.name}`).sort());
            }
            for (
                const [title, heading] of [
                    ["Sonoran CAD API", "Sonoran CAD API (v1)"],
                    ["Amity Social Cloud API", "Amity Social Cloud API (v4)"],
                    ["Sonoran CMS API", "Sonoran CMS API (v2)"],
                ]
            ) {
                await page.goto(baseUrl, { waitUntil: "networkidle" });
                await page.getByRole("link", { name: title, exact: true }).click();
                await expect.poll(() => page.getByRole("heading", { name: heading }).isVisible()).toBe(true);
                // …and one click leads back.
                await page.getByRole("link", { name: "← All APIs" }).click();
                await expect.poll(() => page.getByRole("heading", { name: "API documentation" }).isVisible()).toBe(
                    true,
                );
            }
            // An operation's link on the index opens the page at that operation.
            await page.getByRole("link", { name: /Reject a join request/ }).click();
            await expect.poll(() => sectionTop(page, "rejectJoinRequest"), { timeout: 20_000 }).toBeGreaterThanOrEqual(
                0,
            );
            expect(await sectionTop(page, "rejectJoinRequest")).toBeLessThan(200);
            await page.screenshot({ path: path.join(SCREENSHOTS, "index.png") });
            expect(external).toEqual([]);
            expect(errors).toEqual([]);
            await page.close();
        },
        90_000,
    );

    it(
        "opens an operation from its deep link, on load and on a hash change, and shows each operation's link to copy",
        async () => {
            const { page, errors } = await openPage();
            await page.goto(`${baseUrl}amity-social-cloud.html#leaveCommunity`, { waitUntil: "networkidle" });
            await expect.poll(() => sectionTop(page, "leaveCommunity"), { timeout: 20_000 }).toBeGreaterThanOrEqual(0);
            expect(await sectionTop(page, "leaveCommunity")).toBeLessThan(200);
            await expect.poll(() => page.getByRole("heading", { name: "Leave a community" }).first().isVisible()).toBe(
                true,
            );
            // A hash change (typed, or pasted into the address bar of an open page).
            await page.evaluate(() => (location.hash = "approveJoinRequest"));
            await expect.poll(() => sectionTop(page, "approveJoinRequest"), { timeout: 20_000 }).toBeGreaterThanOrEqual(
                0,
            );
            await expect.poll(() => sectionTop(page, "approveJoinRequest")).toBeLessThan(200);
            // The operation's own link, visible on it, is the deep link, and following it lands there.
            const link = page.locator('[data-section-id$="/approvejoinrequest"]').getByRole("link", {
                name: "amity-social-cloud.html#approveJoinRequest",
            });
            expect(await link.isVisible()).toBe(true);
            expect(await link.getAttribute("href")).toBe("#approveJoinRequest");
            await page.evaluate(() => window.scrollTo(0, 0));
            await link.click();
            await expect.poll(
                async () => [await sectionTop(page, "approveJoinRequest"), await page.evaluate(() => location.hash)],
                { timeout: 20_000 },
            ).toEqual([
                expect.toSatisfy((top: number) => top >= 0 && top < 200),
                "#/join-requests/approvejoinrequest",
            ]);
            expect(errors).toEqual([]);
            await page.close();
        },
        90_000,
    );

    it.each(SPECS)(
        "%s: each operation's error tabs show one codes table with only that status's codes, unbroken, and a TypeScript sample handling kind and code; nothing loads from elsewhere",
        async (name) => {
            const api = await prepareApi(path.join(workspace, "specs", `${name}.yaml`));
            const { model } = api;
            const { page, external, errors } = await openPage();
            await page.goto(`${baseUrl}${name}.html`, { waitUntil: "networkidle" });
            await expect.poll(() => page.getByRole("heading", { name: new RegExp(`^${model.title}`) }).isVisible())
                .toBe(true);
            const overview = await page.innerText("body");
            for (const server of model.servers) expect(overview).toContain(server.url);
            let tables = 0;
            for (const op of model.operations) {
                await page.evaluate((anchor) => (location.hash = anchor), op.name);
                const section = page.locator(`[data-section-id$="/${op.name.toLowerCase()}"]`).first();
                await expect.poll(() => section.innerText(), { message: `${op.name}: x-idempotent`, timeout: 20_000 })
                    .toContain(`x-idempotent: ${op.idempotent}`);
                const text = await section.innerText();
                if (op.summary) expect(text).toContain(op.summary);
                if (op.rateLimit) expect(text).toContain(`Rate limit: ${op.rateLimit.requests} request`);
                // The request panel opens on the generated client's sample; it handles errors by kind (and code).
                expect(text).toContain("Generated client");
                expect(text).toContain(`await ${op.name}(client`);
                expect(text).toContain("switch (error.kind)");
                if (op.errors.length > 0) expect(text).toContain(`error.code === ${op.errors[0]!.catalogue}.`);
                for (const codes of codesByStatus(api.bundled as Record<string, any>, model, op)) {
                    await section.getByRole("tab", { name: codes.status, exact: true }).first().click();
                    const visible = section.locator("table").filter({ hasText: "Enum member and meaning" }).filter({
                        visible: true,
                    });
                    await expect.poll(() => visible.count(), { message: `${op.name} ${codes.status}: one table` }).toBe(
                        1,
                    );
                    const rows = await visible.locator("tbody tr").evaluateAll((trs) =>
                        trs.map((tr) => {
                            const cells = [...tr.querySelectorAll("td")];
                            const code = cells[0]!.querySelector("code")!;
                            return {
                                value: code.textContent,
                                member: cells[1]!.querySelector("code")?.textContent,
                                // A value broken over lines has a box per line; and the cell's box holds it whole.
                                boxes: [...cells].flatMap((cell) =>
                                    [...cell.querySelectorAll("code")].map((c) => c.getClientRects().length)
                                ),
                                fits: code.getBoundingClientRect().width <= cells[0]!.getBoundingClientRect().width,
                            };
                        })
                    );
                    expect(rows.map((r) => [r.value, r.member]), `${op.name} ${codes.status}`).toEqual(
                        codes.members.map((m) => [JSON.stringify(m.value), `${codes.catalogue.name}.${m.name}`]),
                    );
                    for (const row of rows) {
                        expect({ value: row.value, boxes: row.boxes, fits: row.fits }).toEqual({
                            value: row.value,
                            boxes: row.boxes.map(() => 1),
                            fits: true,
                        });
                    }
                    tables++;
                }
            }
            if (name === "amity-social-cloud") {
                // The 403 tab of the join: its six codes, not the catalogue's thirteen.
                await page.evaluate(() => (location.hash = "joinCommunity"));
                const join = page.locator('[data-section-id$="/joincommunity"]').first();
                await expect.poll(() => sectionTop(page, "joinCommunity"), { timeout: 20_000 }).toBeLessThan(200);
                await join.getByRole("tab", { name: "403", exact: true }).first().click();
                const rows = join.locator("table").filter({ hasText: "Enum member and meaning" }).filter({
                    visible: true,
                }).locator("tbody tr");
                expect(await rows.count()).toBe(6);
                // The shipped client's sample is the request panel's other choice.
                const menu = page.getByRole("menuitem", { name: "createAmityClient" }).filter({ visible: true })
                    .first();
                // Redoc may still be scrolling to the operation: open the menu until it shows.
                await expect
                    .poll(async () => {
                        if (!(await menu.isVisible())) {
                            await join.getByText("Generated client", { exact: true }).filter({ visible: true }).first()
                                .click();
                        }
                        return menu.isVisible();
                    })
                    .toBe(true);
                await menu.click();
                await expect.poll(() => join.innerText()).toContain("amity.joinCommunity(");
                await join.getByRole("tab", { name: "403", exact: true }).first().evaluate((tab) =>
                    tab.scrollIntoView({ block: "start" })
                );
                await page.evaluate(() => window.scrollBy(0, -60));
            }
            if (model.catalogues.length > 0) expect(tables).toBeGreaterThan(0);
            await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
            expect(external).toEqual([]);
            expect(errors).toEqual([]);
            await page.close();
        },
        300_000,
    );

    it("rebuilds a page when its spec changes, so a reload shows the edit", async () => {
        const spec = path.join(workspace, "specs/sonoran-cad.yaml");
        const rebuilt = docs.next(/^docs: rebuilt sonoran-cad\.html/);
        writeFileSync(
            spec,
            readFileSync(spec, "utf8").replace(
                "summary: Join or leave a community",
                "summary: Join or leave a CAD community",
            ),
        );
        await rebuilt;
        const { page } = await openPage();
        await page.goto(`${baseUrl}sonoran-cad.html`, { waitUntil: "networkidle" });
        await page.getByText("General", { exact: true }).first().click(); // open the sidebar group
        await expect.poll(() => page.getByRole("link", { name: /Join or leave a CAD community/ }).first().isVisible())
            .toBe(true);
        await page.close();
    }, 60_000);

    it(
        "runs nothing from hostile descriptions: no script, handler, javascript: or data: link, iframe, object or embed survives",
        async () => {
            const { page } = await openPage();
            const dialogs: string[] = [];
            page.on("dialog", (dialog) => {
                dialogs.push(dialog.message());
                void dialog.dismiss();
            });
            await page.goto(`${baseUrl}hostile-docs.html`, { waitUntil: "networkidle" });
            await expect.poll(() => page.getByRole("heading", { name: /^Hostile Docs API/ }).isVisible()).toBe(true);
            // Open the operation and its error response, so every description is rendered.
            await page.getByRole("link", { name: "post /evil", exact: true }).first().click({ timeout: 10_000 }).catch(
                () => undefined,
            );
            await page.getByRole("tab", { name: "400", exact: true }).first().click({ timeout: 10_000 }).catch(() =>
                undefined
            );
            for (
                const text of [
                    "click-js-html",
                    "click-js-md",
                    "click-data",
                    "click-form",
                    "click-external",
                    "click-contact",
                    "hover-me",
                ]
            ) {
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
                handlers: [...document.querySelectorAll("*")].flatMap((el) =>
                    [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${el.tagName} ${a.name}`)
                ),
                links: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")!).filter((href) =>
                    /^\s*(javascript|data|vbscript):/i.test(href)
                ),
                srcdoc: document.querySelectorAll("[srcdoc]").length,
            }));
            expect(survivors).toEqual({ frames: 0, handlers: [], links: [], srcdoc: 0 });
            // The reader still sees what the spec says, as text.
            expect(await page.innerText("body")).toContain("<script>");
            await page.close();
        },
        60_000,
    );

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
