import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { getLineColLocation, parseYaml, Source } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { escapePointer } from "../../codegen/spec/json-pointer.js";
import { createLocator } from "../../codegen/spec/locate.js";
import { CORPUS, HAS_CORPUS, ROOT } from "../support/fixtures.js";

// The locator must answer exactly as Redocly's getLineColLocation (which it replaces because
// that one scans every mapping linearly): compared on every node of real documents, on keys
// and values, on pointers that lead nowhere, and on CRLF text.

/** Every pointer in the document (first `limit` in document order), plus ones that lead nowhere. */
function pointersOf(document: unknown, limit: number): string[] {
    const pointers: string[] = ["#/", "#/nope", "#/paths/~1missing/get", "#/info/title/deeper"];
    const visit = (node: unknown, pointer: string) => {
        if (pointers.length >= limit || node === null || typeof node !== "object") return;
        for (const [key, value] of Object.entries(node)) {
            const child = `${pointer}/${escapePointer(key)}`;
            pointers.push(child);
            visit(value, child);
        }
        if (Array.isArray(node)) pointers.push(`${pointer}/${node.length + 3}`);
    };
    visit(document, "#");
    return pointers;
}

function expectSameAsRedocly(file: string, text: string, limit = 4000) {
    const pointers = pointersOf(parseYaml(text), limit);
    const ours = createLocator(new Source(file, text));
    const theirs = new Source(file, text);
    for (const pointer of pointers) {
        for (const onKey of [false, true]) {
            const { start } = getLineColLocation({ source: theirs, pointer, reportOnKey: onKey });
            expect(ours(pointer, onKey), `${path.basename(file)} ${pointer}${onKey ? " (key)" : ""}`).toEqual({
                line: start.line,
                column: start.col,
            });
        }
    }
    return pointers.length;
}

describe("createLocator", () => {
    it("answers as Redocly does on the project's specs, their CRLF versions and hostile keys", () => {
        const specs = readdirSync(path.join(ROOT, "specs")).filter((f) => f.endsWith(".yaml")).map((f) =>
            path.join(ROOT, "specs", f)
        );
        let compared = 0;
        for (const file of specs) {
            const text = readFileSync(file, "utf8");
            compared += expectSameAsRedocly(file, text);
            compared += expectSameAsRedocly(file, text.replace(/\n/g, "\r\n"));
        }
        compared += expectSameAsRedocly(
            "hostile.yaml",
            [
                "openapi: 3.1.0",
                "info: {title: t, version: '1'}",
                "paths:",
                "  /a~b/{c}:",
                "    get: {responses: {'200': {description: ok}}}",
                "  '/a%2Fb':",
                "    get: {responses: {'200': {description: ok}}}",
                "  /dup:",
                "    get: {responses: {'200': {description: first}}}",
                "x-list: [1, [2, 3], {k: v}]",
                "x-empty: {}",
                "x-null:",
                "",
            ].join("\n"),
        );
        expect(compared).toBeGreaterThan(1000);
    });

    it.skipIf(!HAS_CORPUS)("answers as Redocly does on real public documents, YAML and JSON", () => {
        for (const name of ["digitalocean-3.0.yaml", "twilio-api-v2010-3.0.json", "openai-3.1.yaml"]) {
            const file = path.join(CORPUS, name);
            expect(expectSameAsRedocly(file, readFileSync(file, "utf8"), 3000)).toBeGreaterThan(1000);
        }
    });
});
