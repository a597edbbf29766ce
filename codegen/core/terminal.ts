/**
 * Text from a spec (names, descriptions, file names) reaches the terminal in messages. Raw
 * control characters there could move the cursor, recolour or retitle the terminal (ANSI
 * and OSC escapes), or hide and reorder text (bidirectional overrides): every such
 * character is shown as an escape instead. Line breaks are kept only where a message is
 * meant to span lines.
 */
// C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional and other
// invisible formatting characters (U+200E–U+200F, U+2028–U+202E, U+2066–U+2069, U+FEFF).
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u2028-\u202E\u2066-\u2069\uFEFF]/g;
const UNSAFE_OR_NEWLINE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u200E\u200F\u2028-\u202E\u2066-\u2069\uFEFF]/g;

const escape = (c: string) => {
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/** Safe to print as one line: every control character, line breaks included, escaped. */
export function printableLine(text: string): string {
    return text.replace(UNSAFE_OR_NEWLINE, escape);
}

/** Safe to print over several lines: control characters escaped, line feeds and tabs kept. */
export function printable(text: string): string {
    return text.replace(UNSAFE, escape);
}
