import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED } from "../../src/runtime/redact.js";

describe("createRedactor", () => {
    const redact = createRedactor(["sk-live-123456", "sk-live-123456-extra", "k"]).value;

    it.each([
        ["a secret inside text", "key sk-live-123456 rejected", `key ${REDACTED} rejected`],
        ["the longer of two overlapping secrets whole", "sk-live-123456-extra", REDACTED],
        ["a short secret only as a whole value", "k", REDACTED],
        ["text that merely contains a short secret's letter", "kind of broken", "kind of broken"],
    ])("replaces %s", (_name, input, expected) => {
        expect(redact(input)).toBe(expected);
    });

    it("scrubs values at any depth and keeps keys and non-string values", () => {
        expect(redact({ kind: "http", status: 401, body: { echo: ["sk-live-123456"], nested: { k: "k" } } })).toEqual({
            kind: "http",
            status: 401,
            body: { echo: [REDACTED], nested: { k: REDACTED } },
        });
    });

    it("passes values through untouched when there are no secrets", () => {
        const value = { a: "sk-live-123456" };
        expect(createRedactor([]).value(value)).toBe(value);
    });
});
