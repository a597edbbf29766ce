import { normalizeMarkdown, readMarkdown, type Construct } from "./markdown.js";

/**
 * Spec text is markdown that may carry HTML and Markdoc tags, and the docs page renders it.
 * A spec from anywhere must not run script in the reader's browser. So each text is read as
 * the renderer reads it (markdown.ts: the same tokenizer, so what is code and what is
 * HTML is the renderer's own answer), and everything in it that would become more than
 * formatting is made text, in place, where the renderer found it:
 * - HTML (a block or an inline tag) unless it is only the formatting tags below, written
 *   plainly, with their few attributes and safe links: its `<` becomes `&lt;`;
 * - Markdoc tags, variables and annotations (`{% … %}`; Redoc renders its `html` tag as any
 *   element with any attribute): the `{` becomes `&#123;`;
 * - a fenced code block with such tags in it (Markdoc renders those too): its info string
 *   becomes `{% process=false %}`, which tells Markdoc to leave the code as text;
 * - links and images whose target is not http(s), mailto or a relative path: the `[` is
 *   escaped, so they show as the text they were.
 * The text is read again after each pass (making one construct text can reveal another, as
 * an HTML block's end does) until nothing is left to neutralise; a text that does not settle
 * in a few passes, or holds something that cannot be placed, is shown as its literal source.
 * What the reader sees is what the spec says, never dropped. (Redoc's own `sanitize` option
 * cannot be used: it needs a DOM that build-docs' prerendering does not have.)
 */

/** Formatting HTML the page may render, with the attributes each may carry (`id` on any). */
const ALLOWED_TAGS = new Map<string, readonly string[]>([
    ...[
        "p",
        "br",
        "hr",
        "b",
        "i",
        "em",
        "strong",
        "u",
        "s",
        "del",
        "ins",
        "sub",
        "sup",
        "small",
        "mark",
        "kbd",
        "code",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "span",
        "div",
        "details",
        "summary",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "colgroup",
        "col",
    ].map((tag) => [tag, []] as const),
    ["a", ["href", "title", "name"]],
    ["abbr", ["title"]],
    ["th", ["colspan", "rowspan", "align"]],
    ["td", ["colspan", "rowspan", "align"]],
]);

/**
 * One tag written plainly: a name, attributes with quoted values that hold no character an
 * HTML parser could read two ways (`&` entities, `<`, `>`, backticks, braces, controls).
 */
const TAG =
    /<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z][A-Za-z0-9-]*\s*=\s*(?:"[^"<>&`{}\u0000-\u001f]*"|'[^'<>&`{}\u0000-\u001f]*'))*)\s*\/?>/y;
const ATTRIBUTE = /([A-Za-z][A-Za-z0-9-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** A comment with no `--` inside: every HTML parser ends it at the same `-->`. */
const COMMENT = /<!--(?!-?>)(?:(?!--)[^])*-->/y;

/** Whether a piece of HTML is only allowed tags (and comments) and text without `<`. */
function isFormattingHtml(html: string): boolean {
    let at = 0;
    while (at < html.length) {
        const next = html.indexOf("<", at);
        if (next === -1) return true;
        at = next;
        COMMENT.lastIndex = at;
        if (COMMENT.test(html)) {
            at = COMMENT.lastIndex;
            continue;
        }
        TAG.lastIndex = at;
        const tag = TAG.exec(html);
        if (!tag) return false;
        const allowed = ALLOWED_TAGS.get(tag[2]!.toLowerCase());
        if (allowed === undefined) return false;
        if (tag[1] === "/" && tag[3] !== "") return false;
        for (const [, name, double, single] of tag[3]!.matchAll(ATTRIBUTE)) {
            const attribute = name!.toLowerCase();
            if (attribute !== "id" && !allowed.includes(attribute)) return false;
            if (attribute === "href" && !isSafeUrl(double ?? single ?? "")) return false;
        }
        at = TAG.lastIndex;
    }
    return true;
}

/** Tokens Markdoc makes of `{% … %}`: tags, annotations, variables, and its errors for a malformed one. */
const MARKDOC_TOKENS = new Set(["tag_open", "tag_close", "tag", "annotation", "variable", "error"]);
/** Tokens that render as plain formatting (or nothing: comments, front matter, link definitions). */
const FORMATTING_TOKENS = new Set([
    "paragraph_open",
    "paragraph_close",
    "heading_open",
    "heading_close",
    "blockquote_open",
    "blockquote_close",
    "bullet_list_open",
    "bullet_list_close",
    "ordered_list_open",
    "ordered_list_close",
    "list_item_open",
    "list_item_close",
    "table_open",
    "table_close",
    "thead_open",
    "thead_close",
    "tbody_open",
    "tbody_close",
    "tr_open",
    "tr_close",
    "th_open",
    "th_close",
    "td_open",
    "td_close",
    "hr",
    "inline",
    "text",
    "code_inline",
    "softbreak",
    "hardbreak",
    "em_open",
    "em_close",
    "strong_open",
    "strong_close",
    "s_open",
    "s_close",
    "link_close",
    "comment",
    "frontmatter",
]);

/** One change to the text: `length` characters at `at` replaced by `text`. */
interface Edit {
    readonly at: number;
    readonly length: number;
    readonly text: string;
}

/** What makes a construct text where it stands; null if it is harmless, undefined if it cannot be placed. */
function neutralise(construct: Construct, source: string): Edit | null | undefined {
    const { token, start } = construct;
    if (FORMATTING_TOKENS.has(token.type)) return null;
    const at = (offset: number, char: string, text: string): Edit | undefined =>
        start !== undefined && source[start + offset] === char ? { at: start + offset, length: 1, text } : undefined;
    switch (token.type) {
        case "html_block":
        case "html_inline":
            return isFormattingHtml(token.content) ? null : at(0, "<", "&lt;");
        case "link_open": {
            if (isSafeHref(attribute(token.attrs, "href"))) return null;
            return token.markup === "autolink" ? at(0, "<", "&lt;") : at(0, "[", "\\[");
        }
        case "image":
            return isSafeHref(attribute(token.attrs, "src")) ? null : at(1, "[", "\\[");
        case "fence": {
            const attributes = token.meta?.attributes ?? [];
            const plain = (token.children ?? []).every((child) => child.type === "text")
                && attributes.every(({ name, value }) => name === "process" && value === false);
            if (plain) return null;
            if (construct.info === undefined) return undefined;
            // The language stays (Redoc highlights by it) when it is a plain word.
            const language = /^[\w#+.-]+$/.test(token.info.trim().split(/\s+/)[0] ?? "")
                ? token.info.trim().split(/\s+/)[0]
                : "";
            const { start: infoStart, end: infoEnd } = construct.info;
            return { at: infoStart, length: infoEnd - infoStart, text: `${language} {% process=false %}` };
        }
        default:
            return MARKDOC_TOKENS.has(token.type) ? at(0, "{", "&#123;") : undefined;
    }
}

/**
 * A link target as markdown-it leaves it (entities decoded, then percent-encoded, so no
 * white space or control character is left to hide a scheme): http(s), mailto, or none.
 */
function isSafeHref(href: string): boolean {
    return /^(https?:|mailto:)/i.test(href) || !/^[a-z][a-z0-9+.-]*:/i.test(href);
}

function attribute(attrs: readonly [string, string][] | null, name: string): string {
    return attrs?.find(([key]) => key === name)?.[1] ?? "";
}

/** Passes before a text that keeps revealing constructs is shown as its literal source. */
const MAX_PASSES = 16;

/** Markdown the page renders as formatting only (see above). */
export function sanitizeMarkdown(markdown: string): string {
    let text = normalizeMarkdown(markdown);
    for (let pass = 0; pass < MAX_PASSES; pass++) {
        const edits: Edit[] = [];
        for (const construct of readMarkdown(text)) {
            const edit = neutralise(construct, text);
            if (edit === undefined) return literalMarkdown(markdown);
            if (edit !== null) edits.push(edit);
        }
        if (edits.length === 0) return text;
        for (const edit of edits.sort((a, b) => b.at - a.at)) {
            text = text.slice(0, edit.at) + edit.text + text.slice(edit.at + edit.length);
        }
    }
    return literalMarkdown(markdown);
}

/**
 * The text exactly as written, every ASCII punctuation character escaped, so the renderer
 * finds no construct at all; checked like any other text (and empty if, against every
 * expectation, it were not plain).
 */
function literalMarkdown(markdown: string): string {
    const literal = normalizeMarkdown(markdown).replace(/[!-/:-@[-`{-~]/g, (char) => `\\${char}`);
    return readMarkdown(literal).every((construct) => neutralise(construct, literal) === null) ? literal : "";
}

/**
 * Keys whose string values Redoc renders as markdown: descriptions, enum descriptions, a
 * response's `x-summary`, and `info.summary` (other titles and summaries it shows as text).
 */
const MARKDOWN_KEYS = new Set(["description", "x-summary", "x-enumDescriptions", "x-enum-descriptions"]);
/** Keys whose values Redoc uses as link targets. */
const URL_KEYS = new Set(["url", "termsOfService", "href"]);

/**
 * A copy of the document, safe to render: every markdown text sanitised, every link that
 * is not http(s) or mailto removed, and `externalValue`s (which the renderer would fetch)
 * dropped.
 */
export function sanitizeForDocs<T>(document: T): T {
    const visit = (node: unknown, key: string, parentKey: string): unknown => {
        if (typeof node === "string") {
            if (MARKDOWN_KEYS.has(key) || MARKDOWN_KEYS.has(parentKey) || (key === "summary" && parentKey === "info")) {
                return sanitizeMarkdown(node);
            }
            if (URL_KEYS.has(key) && !isSafeUrl(node)) return undefined;
            return node;
        }
        if (Array.isArray(node)) return node.map((item) => visit(item, "", key));
        if (node === null || typeof node !== "object") return node;
        const out: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(node)) {
            if (name === "externalValue") continue;
            const cleaned = visit(value, name, key);
            if (cleaned !== undefined) out[name] = cleaned;
        }
        return out;
    };
    return visit(document, "", "") as T;
}

/**
 * http(s), mailto, fragments and plain relative paths. Anything with a scheme-like head, or
 * with characters a renderer might decode into one (entities, percent escapes, backslashes,
 * control characters), is not.
 */
function isSafeUrl(url: string): boolean {
    const trimmed = url.trim();
    if (/^(https?:\/\/|mailto:)[^\s\u0000-\u001f]*$/i.test(trimmed)) return true;
    const head = trimmed.split(/[/?#]/)[0]!;
    return !trimmed.startsWith("//") && !/[:&%\\\u0000-\u001f\s]/.test(head);
}
