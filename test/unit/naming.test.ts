import { describe, expect, it } from "vitest";
import { isIdentifier, isUsableIdentifier, NameScope, toIdentifier, words } from "../../codegen/model/naming.js";
import { RESERVED_NAMES } from "../../codegen/model/index.js";

describe("toIdentifier", () => {
    it.each(
        [
            ["joinCommunity", "camel", "joinCommunity"],
            ["get /users/{id}", "camel", "getUsersId"],
            ["2fa-login", "camel", "_2faLogin"],
            ["delete", "camel", "delete_"],
            ["class", "camel", "class_"],
            ["get/users", "camel", "getUsers"],
            ["INVALID API KEY", "pascal", "InvalidApiKey"],
            ["API IS NOT ENABLED FOR THIS COMMUNITY", "pascal", "ApiIsNotEnabledForThisCommunity"],
            ["HTTPServerError", "pascal", "HttpServerError"],
            ["", "pascal", "Empty"],
            ["🚀", "pascal", "Empty"],
            ["über", "camel", "über"],
        ] as const,
    )("%j as %s → %j", (text, style, expected) => {
        expect(toIdentifier(text, style, "Empty")).toBe(expected);
    });
});

describe("words", () => {
    it("splits at punctuation and camel humps", () => {
        expect(words("getUserByID-v2")).toEqual(["get", "User", "By", "ID", "v2"]);
    });
});

describe("NameScope", () => {
    it("numbers later claims of a taken name and keeps reserved names out", () => {
        const scope = new NameScope(["paths"]);
        expect(scope.claim("getUser")).toBe("getUser");
        expect(scope.claim("getUser")).toBe("getUser2");
        expect(scope.claim("paths")).toBe("paths2");
    });

    it("claims a name together with its suffixed companions", () => {
        const scope = new NameScope(["listOperation"]);
        expect(scope.claim("list", ["Operation"])).toBe("list2");
    });
});

describe("identifiers as the installed TypeScript scanner sees them", () => {
    it.each([
        ["\uA7D2", "U+A7D2 (Unicode 14, not an identifier to TypeScript 5.9)"],
        ["\uA7DC", "U+A7DC (Unicode 16)"],
        ["a\uA7D2", "U+A7D2 inside a name"],
    ])("refuses %j as a name: %s, which Node's \\p{ID_Start} accepts", (name) => {
        expect(/^[\p{ID_Start}][\p{ID_Continue}]*$/u.test(name)).toBe(true); // the regex joinkit used to trust
        expect(isIdentifier(name)).toBe(false);
        const converted = toIdentifier(name, "camel", "fallback");
        expect(isIdentifier(converted)).toBe(true);
        expect(converted).not.toContain("\uA7D2");
    });

    it("accepts what TypeScript accepts", () => {
        for (const name of ["joinCommunity", "über", "$ref", "_2fa", "日本語", "ĳ"]) {
            expect(isIdentifier(name), name).toBe(true);
        }
        for (const name of ["", "2fa", "a-b", "a b", "🚀"]) expect(isIdentifier(name), name).toBe(false);
    });

    it("never hands out `then` (an exported `then` makes the module a thenable)", () => {
        expect(isUsableIdentifier("then")).toBe(false);
        expect(toIdentifier("then", "camel", "x")).toBe("then_");
        expect(new NameScope(RESERVED_NAMES).claim(toIdentifier("then", "camel", "x"))).toBe("then_");
    });
});

describe("collision numbering", () => {
    it("numbers 30,000 identical names in linear time (candidates tried grow with the names, not their square)", () => {
        const scope = new NameScope(["getUserOperation"]);
        const names = new Set<string>();
        for (let i = 0; i < 30_000; i++) names.add(scope.claim("getUser", ["Operation"]));
        expect(names.size).toBe(30_000);
        expect(names.has("getUser30001")).toBe(true);
        // Quadratic numbering would try ~450,000,000 candidates here.
        expect(scope.probes).toBeLessThanOrEqual(30_001);
    });

    it("still skips names taken another way", () => {
        const scope = new NameScope();
        expect(scope.claim("a2")).toBe("a2");
        expect([scope.claim("a"), scope.claim("a"), scope.claim("a")]).toEqual(["a", "a3", "a4"]);
    });
});
