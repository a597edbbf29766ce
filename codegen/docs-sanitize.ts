import sanitizeHtml from "sanitize-html";

/**
 * Spec text is markdown that may carry HTML, and the docs page renders it. A spec from
 * anywhere must not run script in the reader's browser, so before rendering, the HTML in
 * every piece of text the page shows as markdown is cut down to formatting: no script, no
 * event handlers, no `javascript:`/`data:` links, no iframe, `srcdoc`, object, embed, form,
 * style, meta or base. What is not allowed is shown as text (escaped), not dropped, so the
 * reader still sees what the spec says. Code spans and fenced blocks are left alone: the
 * renderer shows them as text. Redoc's own sanitiser (DOMPurify) runs on top of this.
 */
const OPTIONS: sanitizeHtml.IOptions = {
    allowedTags: [
        ...["p", "br", "hr", "b", "i", "em", "strong", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "kbd", "code", "pre"],
        ...["h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "span", "div", "details", "summary", "a"],
        ...["table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"],
    ],
    allowedAttributes: { a: ["href", "title", "name"], abbr: ["title"], th: ["colspan", "rowspan", "align"], td: ["colspan", "rowspan", "align"], "*": ["id"] },
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
    const clean = sanitizeHtml(linked, OPTIONS);
    // The sanitiser escapes every ">" and "&" in text; markdown needs ">" for quotes, and
    // neither character can open a tag.
    return clean.replace(/&gt;/g, ">").replace(/&amp;/g, "&");
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

function isSafeUrl(url: string): boolean {
    const trimmed = url.trim();
    if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return !/^\s*\/\//.test(trimmed); // relative, not protocol-relative
    return /^(https?|mailto):/i.test(trimmed);
}
