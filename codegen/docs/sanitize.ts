import sanitizeHtml from "sanitize-html";

/**
 * Spec text is markdown that may carry HTML, and the docs page renders it. A spec from
 * anywhere must not run script in the reader's browser, so before rendering, the HTML in
 * every piece of text the page shows as markdown is cut down to formatting: no script, no
 * event handlers, no `javascript:`/`data:` links, no iframe, `srcdoc`, object, embed, form,
 * style, meta or base. What is not allowed is shown as text (escaped), not dropped, so the
 * reader still sees what the spec says. Markdown links and link definitions whose target
 * is not http(s), mailto or a relative path lose their target. Code spans and fenced blocks
 * are left alone: the renderer shows them as text. (Redoc's own `sanitize` option cannot be
 * used: it needs a DOM that build-docs' prerendering does not have.)
 */
const OPTIONS: sanitizeHtml.IOptions = {
    allowedTags: [
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
            "abbr",
            "kbd",
            "code",
            "pre",
        ],
        ...[
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
            "a",
        ],
        ...["table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"],
    ],
    allowedAttributes: {
        a: ["href", "title", "name"],
        abbr: ["title"],
        th: ["colspan", "rowspan", "align"],
        td: ["colspan", "rowspan", "align"],
        "*": ["id"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesAppliedToAttributes: ["href"],
    allowProtocolRelative: false,
    disallowedTagsMode: "escape",
};

/** Markdown with its HTML made harmless (see above). */
export function sanitizeMarkdown(markdown: string): string {
    return splitCode(markdown)
        .map(({ text, code }) => (code ? text : sanitizeProse(text)))
        .join("");
}

function sanitizeProse(text: string): string {
    // Markdown autolinks (<https://…>) would read as tags: make them ordinary links first.
    const linked = text.replace(/<((?:https?:\/\/|mailto:)[^\s<>]+)>/gi, (_, url: string) => `[${url}](${url})`);
    const clean = safeMarkdownLinks(sanitizeHtml(linked, OPTIONS));
    // The sanitiser escapes every ">" and "&" in text; markdown needs ">" for quotes, and
    // neither character can open a tag.
    return clean.replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** `[text](javascript:…)` and `[id]: javascript:…` would render as script links: point them nowhere. */
function safeMarkdownLinks(text: string): string {
    return text
        .replace(
            /\]\(\s*(<[^>\n]*>|[^\s)]*)/g,
            (match, target: string) => (isSafeUrl(target.replace(/^<|>$/g, "")) ? match : "](#"),
        )
        .replace(
            /^( {0,3}\[[^\]\n]+\]:\s*)(<[^>\n]*>|\S+)/gm,
            (match, label: string, target: string) => isSafeUrl(target.replace(/^<|>$/g, "")) ? match : `${label}#`,
        );
}

/** Splits markdown into prose and code (fenced blocks and inline code spans), in order. */
function splitCode(markdown: string): { text: string; code: boolean }[] {
    const parts: { text: string; code: boolean }[] = [];
    const pattern = /^(```|~~~)[^\n]*\n[\s\S]*?(?:^\1[^\n]*$|(?![\s\S]))|(`+)(?!`)[\s\S]*?[^`]\2(?!`)/gm;
    let last = 0;
    for (const match of markdown.matchAll(pattern)) {
        if (match.index > last) parts.push({ text: markdown.slice(last, match.index), code: false });
        parts.push({ text: match[0], code: true });
        last = match.index + match[0].length;
    }
    if (last < markdown.length) parts.push({ text: markdown.slice(last), code: false });
    return parts;
}

/** Keys whose string values Redoc renders as markdown (titles and summaries it shows as text). */
const MARKDOWN_KEYS = new Set(["description", "x-enumDescriptions", "x-enum-descriptions"]);
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
            if (MARKDOWN_KEYS.has(key) || MARKDOWN_KEYS.has(parentKey)) return sanitizeMarkdown(node);
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
