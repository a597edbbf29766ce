import { describe, expect, it } from "vitest";
import { NameScope, toIdentifier, words } from "../../codegen/naming.js";

describe("toIdentifier", () => {
    it.each([
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
    ] as const)("%j as %s → %j", (text, style, expected) => {
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
