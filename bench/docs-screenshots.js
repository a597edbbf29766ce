// Screenshots of the rendered docs for the README: `npm run docs:screenshots` (renders the
// docs first). Real Chromium, headless, offline: the pages load nothing from elsewhere.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DOCS = path.join(ROOT, "docs");
const page = (file) => pathToFileURL(path.join(DOCS, file)).href;

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
try {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await tab.route(
        "**/*",
        (route) => (route.request().url().startsWith("file:") || route.request().url().startsWith("data:")
            ? route.continue()
            : route.abort()),
    );

    // The index: every API, every operation one click away.
    await tab.goto(page("index.html"), { waitUntil: "networkidle" });
    await tab.screenshot({ path: path.join(DOCS, "screenshot-index.png") });

    // Amity's join, opened by its deep link: the sample with the generated client.
    await tab.goto(`${page("amity-social-cloud.html")}#joinCommunity`, { waitUntil: "networkidle" });
    const join = tab.locator('[data-section-id$="/joincommunity"]').first();
    await join.getByText("switch (error.kind)").first().waitFor();
    await tab.waitForTimeout(500);
    await tab.screenshot({ path: path.join(DOCS, "screenshot-sample.png") });

    // Its 403 tab: the codes that come with a 403, once, values unbroken.
    await join.getByRole("tab", { name: "403", exact: true }).first().click();
    await join.locator("table").filter({ hasText: "Enum member and meaning" }).filter({ visible: true }).first()
        .waitFor();
    await join.getByRole("tab", { name: "403", exact: true }).first().evaluate((el) =>
        el.scrollIntoView({ block: "start" })
    );
    await tab.evaluate(() => window.scrollBy(0, -60));
    await tab.waitForTimeout(300);
    await tab.screenshot({ path: path.join(DOCS, "screenshot-errors.png") });
    console.log("docs/screenshot-index.png, docs/screenshot-sample.png, docs/screenshot-errors.png");
} finally {
    await browser.close();
}
