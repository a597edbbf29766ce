import { printable } from "../core/terminal.js";

/**
 * A TSDoc block from spec text, at the given indentation and ending in a newline (or
 * nothing, when there is nothing to say). One line fits in `/** … *\/`; more get a ` * `
 * each. Spec text is untrusted: `*\/` would end the comment and let the rest of a
 * description run as code, and a line starting with `@` would read as a tag.
 */
export function tsdoc(
    paragraphs: readonly (string | undefined)[],
    options: { indent?: string; deprecated?: boolean } = {},
): string {
    const text = paragraphs
        .filter((p): p is string => p !== undefined && p.trim() !== "")
        .map((p) => safeCommentText(p.trim()))
        .join("\n\n");
    // Blank lines in a row read as one (dprint's JSDoc style).
    const lines = [...(text === "" ? [] : text.split("\n")), ...(options.deprecated ? ["@deprecated"] : [])]
        .filter((line, i, all) => line !== "" || all[i - 1] !== "");
    if (lines.length === 0) return "";
    const indent = options.indent ?? "";
    if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
    return `${indent}/**\n${
        lines.map((line) => `${indent} *${line === "" ? "" : ` ${line}`}\n`).join("")
    }${indent} */\n`;
}

export function safeCommentText(text: string): string {
    // Control characters (terminal escapes, bidirectional overrides) are shown as escapes:
    // the file is read in editors, diffs and terminals.
    return printable(text.replace(/\r\n?/g, "\n"))
        .replace(/\*\//g, "*\\/")
        .replace(/^(\s*)@/gm, "$1\\@")
        .replace(/[ \t]+$/gm, "");
}
