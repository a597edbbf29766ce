import Markdoc from "@markdoc/markdoc";

/**
 * Markdown as the docs page reads it, with where each construct starts in the text.
 *
 * `joinkit docs` renders with Redocly CLI's `build-docs` (2.x), which bundles Redoc 3.0.1.
 * Redoc reads every description with Markdoc 0.5's tokenizer (its fork of markdown-it 12) made
 * `new Tokenizer({ html: true, allowIndentation: true, allowComments: true })`, with the list of
 * rules that end a link reference definition emptied; then it hands each HTML token to
 * htmlparser2 and renders what that finds as elements with their attributes, and renders
 * Markdoc's own `{% … %}` tags (its `html` tag among them: any element, any attribute),
 * including those inside fenced code blocks. So what is "code" and what is "HTML" is exactly
 * what this tokenizer says, never a guess: the same Markdoc (pinned to the version the
 * bundle carries, 0.5.4; test/unit/docs-markdown.test.ts holds the two to it), made the same
 * way. The rules are only observed: each one is wrapped to note where its tokens start, and
 * returns what the rule returned.
 */

/** A markdown-it token, as far as this module reads one. */
export interface MdToken {
    readonly type: string;
    readonly content: string;
    readonly info: string;
    readonly markup: string;
    readonly map: [number, number] | null;
    readonly attrs: [string, string][] | null;
    readonly children: MdToken[] | null;
    readonly meta: { attributes?: readonly { name: string; value: unknown }[] } | null;
}

interface BlockState {
    src: string;
    tokens: MdToken[];
    bMarks: number[];
    eMarks: number[];
    tShift: number[];
}

interface InlineState {
    src: string;
    pos: number;
    tokens: MdToken[];
}

type Rule<S> = (state: S, ...rest: never[]) => boolean;

interface Ruler<S> {
    __rules__: { name: string; fn: Rule<S>; alt: string[] }[];
    at(name: string, fn: Rule<S>, options: { alt: string[] }): void;
    getRules(chain: string): unknown[];
}

interface MarkdownIt {
    block: { ruler: Ruler<BlockState> };
    inline: { ruler: Ruler<InlineState> };
}

/** Where a block token's first line starts (after the indentation and any `>`/list markers). */
const blockStarts = new WeakMap<MdToken, number>();
/** Where an inline token starts, in the text its inline rule read. */
const inlineStarts = new WeakMap<MdToken, { src: string; start: number }>();

const tokenizer = new Markdoc.Tokenizer({ html: true, allowIndentation: true, allowComments: true });
const parser = (tokenizer as unknown as { parser: MarkdownIt }).parser;
// Each rule keeps the rules it may interrupt (`alt`): `at` would otherwise reset them.
for (const { name, fn, alt } of [...parser.block.ruler.__rules__]) {
    parser.block.ruler.at(name, (state: BlockState, ...rest: never[]) => {
        const startLine = rest[0] as unknown as number;
        const before = state.tokens.length;
        const found = fn(state, ...rest);
        const silent = rest[2] as unknown as boolean;
        if (found && !silent) {
            for (const token of state.tokens.slice(before)) {
                if (blockStarts.has(token)) continue;
                // A table row's line is its own: its cells are read from where that line starts.
                const line = token.type === "tr_open" && token.map ? token.map[0] : startLine;
                blockStarts.set(token, state.bMarks[line]! + state.tShift[line]!);
            }
        }
        return found;
    }, { alt: [...alt] });
}
for (const { name, fn, alt } of [...parser.inline.ruler.__rules__]) {
    parser.inline.ruler.at(name, (state: InlineState, ...rest: never[]) => {
        const before = state.tokens.length;
        const start = state.pos;
        const found = fn(state, ...rest);
        for (const token of state.tokens.slice(before)) {
            if (!inlineStarts.has(token)) inlineStarts.set(token, { src: state.src, start });
        }
        return found;
    }, { alt: [...alt] });
}
// As Redoc does, after the rules are in place (changing a rule recompiles this list).
parser.block.ruler.getRules("reference").length = 0;

/** markdown-it's first step (its `normalize` rule): every line break a "\n", NUL a U+FFFD. */
export function normalizeMarkdown(text: string): string {
    return text.replace(/\r\n?/g, "\n").replace(/\0/g, "\uFFFD");
}

/** A token the renderer will act on, and where in the (normalized) text it starts, if known. */
export interface Construct {
    readonly token: MdToken;
    /** The token's first character in the text; undefined where it cannot be placed. */
    readonly start: number | undefined;
    /** For a fenced code block: where its info string (after the fence) starts and ends. */
    readonly info?: { readonly start: number; readonly end: number };
}

/**
 * Every token of `text` (normalized) the renderer turns into something, in order, each
 * placed in the text: block tokens, and the inline ones of each paragraph, heading and
 * table cell (an image's description is read as plain text: its tokens are not listed).
 */
export function readMarkdown(text: string): Construct[] {
    const tokens = tokenizer.tokenize(text) as unknown as MdToken[];
    const lineEnds = endsOfLines(text);
    const constructs: Construct[] = [];
    let rowStart: number | undefined;
    let cell = 0;
    for (const [index, token] of tokens.entries()) {
        const start = blockStarts.get(token);
        if (token.type === "tr_open") {
            rowStart = start;
            cell = 0;
        }
        if (token.type === "fence" && start !== undefined) {
            constructs.push({ token, start, info: fenceInfo(text, start, lineEnds) });
            continue;
        }
        if (token.type !== "inline") {
            constructs.push({ token, start });
            continue;
        }
        const parent = tokens[index - 1]?.type;
        const place = parent === "paragraph_open" && token.map
            ? paragraphPlace(text, token, lineEnds)
            : parent === "heading_open" && start !== undefined
            ? headingPlace(text, token.content, start, lineEnds)
            : (parent === "th_open" || parent === "td_open") && rowStart !== undefined
            ? cellPlace(text, token.content, rowStart, lineEnds, cell++)
            : undefined;
        for (const child of token.children ?? []) {
            const recorded = inlineStarts.get(child);
            const offset = recorded?.src === token.content ? place?.(recorded.start) : undefined;
            constructs.push({ token: child, start: offset });
        }
    }
    return constructs;
}

/** The offset of the "\n" (or the end) that ends each line. */
function endsOfLines(text: string): number[] {
    const ends: number[] = [];
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) ends.push(at);
    ends.push(text.length);
    return ends;
}

function lineStartOf(line: number, lineEnds: readonly number[]): number {
    return line === 0 ? 0 : lineEnds[line - 1]! + 1;
}

/** A fence's info string: what follows its run of backticks or tildes on the opening line. */
function fenceInfo(text: string, start: number, lineEnds: readonly number[]): { start: number; end: number } {
    const end = lineEnds.find((lineEnd) => lineEnd >= start)!;
    const marker = text[start]!;
    let at = start;
    while (at < end && text[at] === marker) at++;
    return { start: at, end };
}

/**
 * A paragraph's text is its lines, each cut after its indentation and markers, joined and
 * trimmed: every line of it ends where its line in the text ends (the last one before any
 * trailing white space), so each character is placed from the line's end.
 */
function paragraphPlace(
    text: string,
    token: MdToken,
    lineEnds: readonly number[],
): ((offset: number) => number | undefined) | undefined {
    const lines = token.content.split("\n");
    const [first] = token.map!;
    if (lines.length !== token.map![1] - first) return undefined;
    // The last line's end is before the white space the paragraph's trim took.
    const ends = lines.map((_, index) => {
        const line = first + index;
        const start = lineStartOf(line, lineEnds);
        return index < lines.length - 1 ? lineEnds[line]! : start + text.slice(start, lineEnds[line]).trimEnd().length;
    });
    const starts: number[] = [];
    let at = 0;
    for (const [index, line] of lines.entries()) {
        // Only what is not leading white space is sure to be the text's own (a tab may have become spaces).
        const own = line.trimStart();
        if (text.slice(ends[index]! - own.length, ends[index]) !== own) return undefined;
        starts.push(at);
        at += line.length + 1;
    }
    return (offset) => {
        let index = starts.length - 1;
        while (index > 0 && starts[index]! > offset) index--;
        const line = lines[index]!;
        const column = offset - starts[index]!;
        if (column < line.length - line.trimStart().length) return undefined;
        return ends[index]! - (line.length - column);
    };
}

/** A heading's text: the part of its line between the opening `#`s and any closing ones. */
function headingPlace(
    text: string,
    content: string,
    start: number,
    lineEnds: readonly number[],
): ((offset: number) => number) | undefined {
    const end = lineEnds.find((lineEnd) => lineEnd >= start)!;
    const at = text.lastIndexOf(content, end - content.length);
    if (at < start || !/^[ \t]*(#+[ \t]*)?$/.test(text.slice(at + content.length, end))) return undefined;
    return (offset) => at + offset;
}

/**
 * A table cell's text: its row split at each `|` that is not escaped (an escaped one loses
 * its backslash, as markdown-it 12's escapedSplit does), the cell trimmed.
 */
function cellPlace(
    text: string,
    content: string,
    rowStart: number,
    lineEnds: readonly number[],
    index: number,
): ((offset: number) => number | undefined) | undefined {
    const end = lineEnds.find((lineEnd) => lineEnd >= rowStart)!;
    const row = text.slice(rowStart, end);
    const rowEnd = rowStart + row.trimEnd().length;
    // Each cell as the characters it keeps, with where each is in the text.
    const cells: number[][] = [[]];
    let escaped = false;
    for (let at = rowStart; at < rowEnd; at++) {
        const char = text[at];
        if (char === "|" && !escaped) cells.push([]);
        else if (char === "|") cells.at(-1)!.splice(-1, 1, at);
        else cells.at(-1)!.push(at);
        escaped = char === "\\";
    }
    if (cells[0]!.length === 0) cells.shift();
    if (cells.length > 0 && cells.at(-1)!.length === 0) cells.pop();
    const chars = cells[index];
    if (chars === undefined) return content === "" ? () => undefined : undefined;
    const kept = chars.map((at) => text[at]).join("");
    const lead = kept.length - kept.trimStart().length;
    if (kept.trim() !== content) return undefined;
    return (offset) => chars[lead + offset];
}
