import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Markdoc from "@markdoc/markdoc";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeMarkdown, readMarkdown, type MdToken } from "../../codegen/docs/markdown.js";
import { sanitizeMarkdown } from "../../codegen/docs/sanitize.js";

const codegenRequire = createRequire(path.resolve("codegen/package.json"));
const SEED = process.env.JOINKIT_PROPERTY_SEED === "random" ? undefined : 23;

/** The renderer as Redocly CLI bundles it: every chunk of its build-docs, as text. */
function bundledRenderer(): string {
    const chunks = path.join(path.dirname(codegenRequire.resolve("@redocly/cli/package.json")), "lib/chunks");
    return readdirSync(chunks).map((file) => readFileSync(path.join(chunks, file), "utf8")).join("\n");
}

/** The renderer's tokenizer, made as Redoc makes it, without joinkit's observers. */
function rendererTokens(text: string): string[] {
    const tokenizer = new Markdoc.Tokenizer({ html: true, allowIndentation: true, allowComments: true });
    (tokenizer as unknown as { parser: { block: { ruler: { getRules(chain: string): unknown[] } } } }).parser.block
        .ruler.getRules("reference").length = 0;
    const flat: string[] = [];
    // As readMarkdown lists them: an inline token's children in its place (not an image's,
    // which is read as plain text, nor a fence's, which are its text).
    const walk = (tokens: MdToken[]) => {
        for (const token of tokens) {
            if (token.type === "inline") walk(token.children ?? []);
            else flat.push(`${token.type} ${JSON.stringify(token.content)}`);
        }
    };
    walk(tokenizer.tokenize(text) as unknown as MdToken[]);
    return flat;
}

const RUN = "top.pwned=1";
const IFRAME = `<iframe srcdoc="<script>${RUN}</script>"></iframe>`;

/** Pieces of Markdown that decide what is code, HTML or a tag, and payloads among them. */
const piece = fc.constantFrom(
    "`",
    "``",
    "```",
    "~~~",
    "\\`",
    "\\",
    "\n",
    "\n\n",
    "> ",
    "- ",
    "1. ",
    "    ",
    "\t",
    "# ",
    "| a | b |\n|---|---|\n| ",
    " | ",
    "\\|",
    "a",
    " text ",
    "<b>",
    "</b>",
    "<div>",
    "</div>",
    "<!-- ",
    " -->",
    "<pre>",
    "<textarea>",
    IFRAME,
    `<img src=x onerror="${RUN}">`,
    `<a href="javascript:${RUN}">x</a>`,
    `[x](javascript:${RUN})`,
    `![x](data:image/png;base64,AA)`,
    `<javascript:${RUN}>`,
    `[id]: javascript:${RUN}\n`,
    "[x][id]",
    `{% html name="iframe" attrs={srcdoc: "<script>${RUN}</script>"} /%}`,
    "{% $variable %}",
    "{% .class #id %}",
    "{% ",
    " %}",
    "```js {% process=true %}\n",
    "&lt;",
    "&#123;",
);
const markdown = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(""));

/** Every token the renderer would act on beyond formatting, in the renderer's own reading. */
function active(text: string): string[] {
    return readMarkdown(text).flatMap(({ token }) => {
        if (token.type === "html_block" || token.type === "html_inline") {
            return /<(iframe|script|img|svg|object|embed)\b|=\s*["']?\s*javascript:|onerror|srcdoc/i.test(
                    token.content.replace(/<!--(?:(?!--)[^])*-->/g, ""),
                )
                ? [`${token.type} ${token.content}`]
                : [];
        }
        if (["tag_open", "tag_close", "tag", "annotation", "variable", "error"].includes(token.type)) {
            return [token.type];
        }
        if (token.type === "fence") {
            const processed = (token.children ?? []).some((child) => child.type !== "text");
            return processed ? ["fence with tags"] : [];
        }
        const target = token.attrs?.find(([name]) => name === "href" || name === "src")?.[1];
        return target !== undefined && /^(javascript|data|vbscript):/i.test(target) ? [`${token.type} ${target}`] : [];
    });
}

describe("the renderer's Markdown reader (docs/markdown.ts)", () => {
    it("is the tokenizer Redocly CLI's build-docs bundles, made the way Redoc makes it", () => {
        const bundle = bundledRenderer();
        // Redoc 3.0.1, reading descriptions with Markdoc's tokenizer and these options only.
        expect(bundle).toMatch(/Version: 3\.0\.1/);
        expect(bundle).toContain(".Tokenizer({html:!0,allowIndentation:!0,allowComments:!0})");
        expect(bundle).toContain('.parser.block.ruler.getRules("reference").length=0');
        // Markdoc 0.5.2–0.5.4 (0.5.2 made the comment rule test indexOf() === -1; 0.5.5 added
        // conditional attribute types; their tokenizers are the same): joinkit pins 0.5.4.
        expect(bundle).toMatch(/indexOf\(\w+,\w+\);if\(\w+===-1\)return!1;if\(\w+\)return!0;let \w+=\w+\.src\.slice/);
        expect(bundle).not.toContain("boolean | object");
        expect((codegenRequire("@markdoc/markdoc/package.json") as { version: string }).version).toBe("0.5.4");
    });

    it("reads every text exactly as the unobserved tokenizer does (its rules are only watched)", () => {
        fc.assert(
            fc.property(markdown, (text) => {
                const normalized = normalizeMarkdown(text);
                const read = readMarkdown(normalized).map(({ token }) =>
                    `${token.type} ${JSON.stringify(token.content)}`
                );
                expect(read).toEqual(rendererTokens(normalized));
            }),
            { seed: SEED, numRuns: 300 },
        );
    });

    it("places each token where it starts in the text", () => {
        const text = "> para <b>x</b> {% $v %}\n\n| a | b |\n|---|---|\n| c \\| <i>d</i> | [e](f) |\n\n# T <u>u</u> #";
        const placed = readMarkdown(text).filter(({ token }) =>
            ["html_inline", "variable", "link_open"].includes(token.type)
        );
        expect(placed.map(({ token, start }) => [token.content || token.type, text.slice(start, start! + 3)]))
            .toEqual([
                ["<b>", "<b>"],
                ["</b>", "</b"],
                ["variable", "{% "],
                ["<i>", "<i>"],
                ["</i>", "</i"],
                ["link_open", "[e]"],
                ["<u>", "<u>"],
                ["</u>", "</u"],
            ]);
    });
});

describe("sanitizeMarkdown: what the renderer will render, never a guess at Markdown", () => {
    it.each([
        ["an escaped backtick", `a \\\`${IFRAME}\``],
        ["a code span across a blank line", `\`a\n\n${IFRAME} \``],
        ["a fence whose info string holds a backtick", `\`\`\` a\`b\n${IFRAME}\n\`\`\``],
        ["a fence inside a block quote", `> \`\`\`\n${IFRAME}\n\`\`\``],
        ["a Markdoc html tag", `{% html name="iframe" attrs={srcdoc: "<script>${RUN}</script>"} /%}`],
        ["a Markdoc tag inside a fence", `\`\`\`js\n{% html name="iframe" attrs={srcdoc: "x"} /%}\n\`\`\``],
        ["a tag in a table cell", `| a |\n|---|\n| x \\| ${IFRAME} |`],
        ["an HTML block that ends early", `<div>\n${IFRAME}\n</div>`],
        ["a script link", `[x](javascript:${RUN}) <a href="javascript:${RUN}">y</a>`],
    ])("leaves nothing active in %s", (_, text) => {
        expect(active(text)).not.toEqual([]);
        const clean = sanitizeMarkdown(text);
        expect(active(clean)).toEqual([]);
        // What the spec says is still there, as text.
        expect(clean.replace(/&lt;|&#123;|\\/g, "")).toContain(text.includes("iframe") ? "iframe" : "x");
    });

    it("leaves formatting, code and safe links exactly as written", () => {
        for (
            const text of [
                "Plain **bold** _em_ `code <b>` and [a link](https://example.com/café) or [rel](../x#y).",
                '<b>bold</b> <a href="https://example.com" title="t">x</a> <!-- note -->',
                "```html\n<iframe srcdoc=x></iframe>\n{{ not markdoc }}\n```",
                "| a | b |\n|---|---|\n| `<x>` | <i>y</i> |",
            ]
        ) {
            expect(sanitizeMarkdown(text)).toBe(text);
        }
    });

    it("leaves nothing active in any mix of code, quotes, lists, tables, HTML and tags, and settles", () => {
        fc.assert(
            fc.property(markdown, (text) => {
                const clean = sanitizeMarkdown(text);
                expect(active(clean)).toEqual([]);
                expect(sanitizeMarkdown(clean)).toBe(clean);
            }),
            { seed: SEED, numRuns: 500 },
        );
    });
});
