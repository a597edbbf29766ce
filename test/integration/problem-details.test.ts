import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAmityClient } from "../../src/amity.js";
import { problemDetailsOf } from "../../src/runtime/problem.js";
import { AMITY_SPEC } from "../support/fixtures.js";
import { startSpecServer, type SpecServer } from "../support/spec-server.js";

const PROBLEM = "application/problem+json";

describe("problem details (RFC 9457), for any API", () => {
    it.each([
        ["the standard members and extensions, as sent", PROBLEM, {
            type: "https://e.x/p",
            title: "T",
            status: 404,
            detail: "D",
            instance: "/i",
            traceId: "abc",
            errors: [{ field: "x" }],
        }, {
            type: "https://e.x/p",
            title: "T",
            status: 404,
            detail: "D",
            instance: "/i",
            traceId: "abc",
            errors: [{ field: "x" }],
        }],
        ["type defaulting to about:blank", `${PROBLEM}; charset=utf-8`, { title: "Not Found" }, {
            type: "about:blank",
            title: "Not Found",
        }],
        ["standard members of the wrong type left out", PROBLEM, {
            type: 7,
            title: ["x"],
            status: "404",
            detail: null,
            instance: {},
        }, { type: "about:blank" }],
        ["a status outside 100-599 left out", PROBLEM, { status: 42, title: "odd" }, {
            type: "about:blank",
            title: "odd",
        }],
    ])("decodes %s", (_name, contentType, body, expected) => {
        expect(problemDetailsOf(contentType, body)).toEqual(expected);
    });

    it.each([
        ["plain JSON", "application/json", { title: "T" }],
        ["no Content-Type", null, { title: "T" }],
        ["a problem+json body that is not an object", PROBLEM, ["T"]],
        ["a problem+json body that is text", PROBLEM, "Not Found"],
    ])("finds none in %s", (_name, contentType, body) => {
        expect(problemDetailsOf(contentType, body)).toBeUndefined();
    });

    describe("through a client whose spec has an error catalogue and no problem details", () => {
        let server: SpecServer;
        beforeAll(async () => {
            server = await startSpecServer(AMITY_SPEC);
        });
        afterAll(() => server.close());

        it("still types a problem+json error in error.problem, its title and detail in the message, code undefined", async () => {
            const problem = {
                type: "about:blank",
                title: "Service Unavailable",
                status: 503,
                detail: "Maintenance until 10:00.",
                traceId: "t-1",
            };
            server.respondWith(() => ({
                status: 503,
                headers: { "Content-Type": PROBLEM },
                body: JSON.stringify(problem),
            }));
            const amity = createAmityClient({
                region: "eu",
                accessToken: "a-token-of-some-length",
                baseUrl: server.url,
                retry: false,
            });
            const { error } = await amity.joinCommunity({ communityId: "c1" });

            expect(error).toMatchObject({ kind: "http", status: 503, code: undefined, body: problem, problem });
            expect(error?.message).toBe("HTTP 503: Service Unavailable: Maintenance until 10:00.");
            expect(server.violations).toEqual([]);
        });
    });
});
