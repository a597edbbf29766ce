import { printable } from "./terminal.js";
import type { JSDocStructure, OptionalKind } from "ts-morph";

/**
 * A TSDoc block from spec text. Spec text is untrusted: `*\/` would end the comment and let
 * the rest of a description run as code, and a line starting with `@` would read as a tag.
 */
export function tsdoc(paragraphs: readonly (string | undefined)[], tags: OptionalKind<JSDocStructure>["tags"] = []): OptionalKind<JSDocStructure>[] {
    const text = paragraphs
        .filter((p): p is string => p !== undefined && p.trim() !== "")
        .map((p) => safeCommentText(p.trim()))
        .join("\n\n");
    if (text === "" && (tags?.length ?? 0) === 0) return [];
    return [{ description: text, tags }];
}

export function safeCommentText(text: string): string {
    // Control characters (terminal escapes, bidirectional overrides) are shown as escapes:
    // the file is read in editors, diffs and terminals.
    return printable(text.replace(/\r\n?/g, "\n"))
        .replace(/\*\//g, "*\\/")
        .replace(/^(\s*)@/gm, "$1\\@")
        .replace(/[ \t]+$/gm, "");
}
