/**
 * Lays out the code the emitters print at 120 columns, as dprint formats TypeScript (the
 * style openapi-typescript's output has: four spaces, double quotes, trailing commas), so
 * the files come out formatted without running a formatter over them. A `Doc` is text with
 * the places a line may break; `layout` keeps each group on one line while it fits and
 * otherwise breaks it, outermost first, deciding left to right (dprint's and Prettier's
 * rule: a group fits if it and the text after it up to the next place a line may break do).
 * The emitted-formatting test proves dprint leaves every emitted file unchanged.
 *
 * Why not print with ts-morph and format with dprint, as before: on DigitalOcean that was
 * about a quarter of the main thread (dprint parses everything again), on the critical path,
 * and loading both (ts-morph bundles its own TypeScript) cost ~106 ms and ~80 MB per run.
 */
export type Doc = string | readonly Doc[] | Group | Hang | IndexedAccess | Union;

/** Brackets around items separated by commas: `f(a, b)`, `{ a: 1 }`, `A<B, C>`. */
export interface Group {
    readonly kind: "group";
    readonly open: string;
    readonly close: string;
    readonly items: readonly Doc[];
    /** On one line, a space inside the brackets: `{ a: 1 }`, `import { a }`. */
    readonly spaced?: boolean;
    /** Broken, a comma after the last item too (not in type arguments). */
    readonly trailingComma?: boolean;
    /** Always one item per line: a literal the emitter wrote on several lines. */
    readonly broken?: boolean;
    /**
     * Too long, the items stay on the line and only the last one breaks: `[{` … `}]`, `f({` … `})`
     * (dprint's layout of arrays that hold objects or arrays, and of a call's one object argument).
     */
    readonly hug?: boolean;
}

/**
 * Text that moves to the next line, indented, when the line is too long: `key:⏎ "long string"`,
 * unless that would move it left by less than two columns.
 */
export interface Hang {
    readonly kind: "hang";
    /** Before the text on the same line (`" "`, `" ?? "`), and where it starts on the next (`""`, `"?? "`). */
    readonly flat: string;
    readonly broken: string;
    readonly doc: Doc;
    /** A group may start on the line and break inside if its opening bracket fits (a property's value, a declaration's type). */
    readonly inline: boolean;
}

/** `A | B | C`, a type: too long, one member per line, each after a `| `. */
export interface Union {
    readonly kind: "union";
    readonly members: readonly string[];
}

/** `object[first][second]`, a type: too long, the last brackets break, or if even their opening does not fit, the first. */
export interface IndexedAccess {
    readonly kind: "indexed";
    readonly object: string;
    readonly first: string;
    readonly second: string;
}

const LINE_WIDTH = 120;
export const INDENT = "    ";

export const group = (
    open: string,
    items: readonly Doc[],
    close: string,
    options: Omit<Group, "kind" | "open" | "items" | "close"> = {},
): Group => ({
    kind: "group",
    open,
    items,
    close,
    ...options,
});

export const hang = (doc: Doc, options: { flat?: string; broken?: string; inline?: boolean } = {}): Hang => ({
    kind: "hang",
    flat: options.flat ?? " ",
    broken: options.broken ?? "",
    inline: options.inline ?? false,
    doc,
});

export const union = (
    members: readonly string[],
): Doc => (members.length === 1 ? members[0]! : { kind: "union", members });

/** `Name<A, B>`: type arguments break one per line, without a trailing comma. */
export const typeArguments = (name: string, args: readonly Doc[]): Group => group(`${name}<`, args, ">");

/** `f(a, b)`: arguments break one per line with a trailing comma; a lone object argument hugs the brackets. */
export const call = (callee: string, args: readonly Doc[]): Group =>
    group(`${callee}(`, args, ")", {
        trailingComma: true,
        hug: args.length === 1 && isGroup(args[0]!) && args[0].open === "{",
    });

/** Lays a document out at the given indentation (the first line starts there). */
export function layout(doc: Doc, indent = "", width = LINE_WIDTH): string {
    const printer = new Printer(indent.length, width);
    printer.print(doc, indent, 0);
    return printer.text;
}

/**
 * A string literal as dprint writes it with `quoteStyle: "preferDouble"`: in double quotes,
 * unless the text holds more double quotes than single ones. Everything else is escaped as
 * JSON.stringify does, so no text from a spec can end the literal early.
 */
export function stringLiteral(text: string): string {
    const json = JSON.stringify(text);
    let doubles = 0;
    let singles = 0;
    for (const char of text) {
        if (char === '"') doubles++;
        else if (char === "'") singles++;
    }
    if (doubles <= singles) return json;
    // JSON escapes only `"` and `\`: un-escape the double quotes, escape the single ones.
    return `'${
        json.slice(1, -1).replace(
            /\\(.)|'/g,
            (match, escaped: string | undefined) => (escaped === '"' ? '"' : escaped !== undefined ? match : "\\'"),
        )
    }'`;
}

export const indexedAccess = (object: string, first: string, second: string): IndexedAccess => ({
    kind: "indexed",
    object,
    first,
    second,
});

function isGroup(doc: Doc): doc is Group {
    return typeof doc === "object" && "kind" in doc && doc.kind === "group";
}

/** The document on one line, or undefined if it holds a group that always breaks. */
function flat(doc: Doc): string | undefined {
    if (typeof doc === "string") return doc;
    if (Array.isArray(doc)) return joinFlat(doc, "");
    const node = doc as Group | Hang | IndexedAccess | Union;
    if (node.kind === "union") return node.members.join(" | ");
    if (node.kind === "hang") {
        const text = flat(node.doc);
        return text === undefined ? undefined : node.flat + text;
    }
    if (node.kind === "indexed") return `${node.object}[${node.first}][${node.second}]`;
    if (node.broken) return undefined;
    const items = joinFlat(node.items, ", ");
    const pad = node.spaced ? " " : "";
    return items === undefined ? undefined : `${node.open}${pad}${items}${pad}${node.close}`;
}

function joinFlat(docs: readonly Doc[], separator: string): string | undefined {
    const parts: string[] = [];
    for (const doc of docs) {
        const text = flat(doc);
        if (text === undefined) return undefined;
        parts.push(text);
    }
    return parts.join(separator);
}

/** The width of the text before the next place a line may break (a group's bracket, a hang), and whether there is one. */
function widthToBreak(docs: readonly Doc[]): { width: number; breaks: boolean } {
    let width = 0;
    for (const doc of docs) {
        if (typeof doc === "string") {
            width += doc.length;
        } else if (Array.isArray(doc)) {
            const inner = widthToBreak(doc);
            width += inner.width;
            if (inner.breaks) return { width, breaks: true };
        } else if ((doc as Group | Hang | IndexedAccess).kind !== "group") {
            return { width, breaks: true };
        } else {
            return { width: width + (doc as Group).open.length, breaks: true };
        }
    }
    return { width, breaks: false };
}

class Printer {
    text = "";
    private column: number;
    private readonly width: number;

    constructor(column: number, width: number) {
        this.column = column;
        this.width = width;
    }

    private write(text: string): void {
        this.text += text;
        this.column += text.length;
    }

    private newLine(indent: string): void {
        this.text += `\n${indent}`;
        this.column = indent.length;
    }

    private fits(doc: Doc, after: number): boolean {
        const text = flat(doc);
        return text !== undefined && this.column + text.length + after <= this.width;
    }

    /** `after`: the width of what follows on this line up to the next place it may break. */
    print(doc: Doc, indent: string, after: number): void {
        if (typeof doc === "string") return this.write(doc);
        if (Array.isArray(doc)) {
            doc.forEach((part, i) => {
                const rest = widthToBreak(doc.slice(i + 1));
                this.print(part, indent, rest.width + (rest.breaks ? 0 : after));
            });
            return;
        }
        const node = doc as Group | Hang | IndexedAccess | Union;
        if (node.kind === "union") {
            if (this.fits(node, after)) return this.write(flat(node)!);
            return node.members.forEach((member, i) => {
                if (i > 0) this.newLine(indent);
                this.write(`| ${member}`);
            });
        }
        if (node.kind === "indexed") {
            if (this.fits(node, after)) return this.write(flat(node)!);
            const head = `${node.object}[${node.first}][`;
            const [open, item, close] = this.column + head.length <= this.width
                ? [head, node.second, "]"]
                : [`${node.object}[`, node.first, `][${node.second}]`];
            this.write(open);
            this.newLine(indent + INDENT);
            this.write(item);
            this.newLine(indent);
            return this.write(close);
        }
        if (node.kind === "hang") {
            if (this.fits(node, after)) return this.write(flat(node)!);
            const toBreak = widthToBreak([node.doc]);
            const saved = this.column + node.flat.length - (indent.length + INDENT.length + node.broken.length);
            if (
                saved < 2
                || (node.inline && toBreak.breaks && this.column + node.flat.length + toBreak.width <= this.width)
            ) {
                this.write(node.flat);
                return this.print(node.doc, indent, after);
            }
            this.newLine(indent + INDENT);
            this.write(node.broken);
            return this.print(node.doc, indent + INDENT, after);
        }
        if (this.fits(node, after)) return this.write(flat(node)!);
        this.write(node.open);
        const last = node.items.length - 1;
        // Hugging needs the first item's opening bracket to fit on the line too.
        if (node.hug && !node.broken && this.column + widthToBreak(node.items.slice(0, 1)).width <= this.width) {
            node.items.forEach((item, i) => {
                if (i > 0) this.write(", ");
                const next = i < last ? 2 + widthToBreak([node.items[i + 1]!]).width : node.close.length + after;
                this.print(item, indent, next);
            });
            return this.write(node.close);
        }
        const inner = indent + INDENT;
        node.items.forEach((item, i) => {
            this.newLine(inner);
            const comma = i < last || node.trailingComma ? "," : "";
            this.print(item, inner, comma.length);
            this.write(comma);
        });
        this.newLine(indent);
        this.write(node.close);
    }
}

/** `import { a, type B } from "module";` and a newline; the names break one per line when too long. */
export function importDeclaration(
    names: readonly string[],
    from: string,
    options: { typeOnly?: boolean } = {},
): string {
    const keyword = options.typeOnly ? "import type " : "import ";
    return `${
        layout([
            keyword,
            group("{", names, "}", { spaced: true, trailingComma: true }),
            ` from ${stringLiteral(from)};`,
        ])
    }\n`;
}
