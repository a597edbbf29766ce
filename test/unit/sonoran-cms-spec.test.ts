import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../support/fixtures.js";

const document = parse(readFileSync(path.join(ROOT, "specs/sonoran-cms.yaml"), "utf8")) as Record<string, any>;
const METHODS = ["get", "put", "post", "patch", "delete"];
const operations = Object.entries(document.paths as Record<string, any>).flatMap(([route, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
        key: `${method.toUpperCase()} ${route}`,
        op: item[method],
    }))
);

// The vendor's "V2 Rate Limits" page (cms-docs `api-endpoints-v2/rate-limits.md`),
// transcribed: requests per minute per credential, by endpoint.
const VENDOR_LIMITS: Record<string, number> = {
    "GET /v2/community": 13,
    "GET /v2/community/sub-version": 13,
    "GET /v2/community/lookup": 13,
    "GET /v2/community/departments": 13,
    "GET /v2/community/profile-fields": 13,
    "GET /v2/community/clockin-types": 13,
    "GET /v2/community/custom-log-types": 13,
    "GET /v2/community/promotion-flows": 13,
    "POST /v2/community/promotion-flows/trigger": 13,
    "POST /v2/community/rank-changes/{undoId}/undo": 13,
    "POST /v2/community/short-urls": 13,
    "GET /v2/community/accounts": 22,
    "GET /v2/community/accounts/search": 27,
    "GET /v2/community/accounts/{accountId}": 27,
    "GET /v2/community/accounts/{accountId}/ranks": 27,
    "GET /v2/community/accounts/{accountId}/identifiers": 22,
    "POST /v2/community/accounts/{accountId}/identifiers": 22,
    "PATCH /v2/community/accounts/{accountId}/name": 22,
    "PATCH /v2/community/accounts/{accountId}/ranks": 22,
    "PATCH /v2/community/accounts/{accountId}/profile-fields": 22,
    "POST /v2/community/accounts/{accountId}/clock": 22,
    "GET /v2/community/accounts/{accountId}/clock/current": 27,
    "GET /v2/community/accounts/{accountId}/activity/latest": 27,
    "POST /v2/community/accounts/{accountId}/sync": 27,
    "GET /v2/community/servers": 13,
    "PUT /v2/community/servers": 9,
    "POST /v2/community/servers": 9,
    "GET /v2/community/servers/{serverId}/ace-config": 27,
    "PATCH /v2/community/servers/{serverId}/ace-config": 18,
    "PATCH /v2/community/servers/{serverId}/type": 18,
    "POST /v2/community/servers/{serverId}/whitelist/check": 27,
    "GET /v2/community/servers/{serverId}/whitelist": 13,
    "POST /v2/community/servers/{serverId}/activity": 27,
    "POST /v2/community/servers/{serverId}/activity/start": 27,
    "POST /v2/community/events/{eventId}/rsvps": 27,
    "PATCH /v2/community/forms/{formId}/stage": 27,
    "GET /v2/community/forms/{templateId}/submissions": 13,
    "GET /v2/community/forms/{templateId}/lock": 27,
    "PATCH /v2/community/forms/{templateId}/lock": 18,
    "GET /v2/community/forms/submissions/{submissionId}": 27,
    "GET /v2/community/rosters/{rosterId}": 9,
    "GET /v2/community/disciplinary/accounts/{accountId}/points": 27,
    "GET /v2/community/disciplinary/accounts/{accountId}/records": 27,
    "POST /v2/community/disciplinary/accounts/{accountId}/records": 18,
    "PATCH /v2/community/disciplinary/records/{recordId}/points": 18,
    "PATCH /v2/community/disciplinary/records/{recordId}/reason": 18,
    "PATCH /v2/community/disciplinary/records/{recordId}/status": 18,
    "GET /v2/community/erlc/players/online": 27,
    "GET /v2/community/erlc/players/queue": 27,
    "POST /v2/community/erlc/records": 18,
    "POST /v2/community/erlc/commands": 18,
    "POST /v2/community/erlc/teams/lock": 18,
    "POST /v2/community/erlc/teams/unlock": 18,
    "GET /v2/community/sessions/current": 27,
    "POST /v2/community/sessions": 27,
    "PATCH /v2/community/sessions": 27,
    "DELETE /v2/community/sessions": 9,
};

describe("specs/sonoran-cms.yaml against the vendor's v2 pages", () => {
    it("has the vendor's 57 operations on 48 paths, each with the published per-minute limit", () => {
        expect(Object.keys(document.paths)).toHaveLength(48);
        expect(operations.map((o) => o.key).sort()).toEqual(Object.keys(VENDOR_LIMITS).sort());
        for (const { key, op } of operations) {
            expect(op["x-rate-limit"], key).toEqual({ requests: VENDOR_LIMITS[key], perSeconds: 60 });
        }
    });

    it("tags every operation with one of its areas and decides its idempotency explicitly", () => {
        const areas = (document.tags as { name: string }[]).map((t) => t.name);
        expect(areas).toEqual([
            "General",
            "Accounts",
            "Servers",
            "Events",
            "Forms",
            "Rosters",
            "Disciplinary",
            "ERLC",
            "Sessions",
        ]);
        for (const { key, op } of operations) {
            expect(op.tags, key).toHaveLength(1);
            expect(areas, key).toContain(op.tags[0]);
            expect(typeof op["x-idempotent"], key).toBe("boolean");
        }
        const idempotent = (key: string) => operations.find((o) => o.key === key)!.op["x-idempotent"];
        // The examples: a PUT that replaces is safe to repeat; append, clock and records are not.
        expect(idempotent("PUT /v2/community/servers")).toBe(true);
        expect(idempotent("POST /v2/community/servers")).toBe(false);
        expect(idempotent("POST /v2/community/accounts/{accountId}/clock")).toBe(false);
        expect(idempotent("POST /v2/community/disciplinary/accounts/{accountId}/records")).toBe(false);
        expect(idempotent("POST /v2/community/erlc/records")).toBe(false);
        // The RSVP toggles: a repeat undoes the first call.
        expect(idempotent("POST /v2/community/events/{eventId}/rsvps")).toBe(false);
    });

    it("authenticates with a bearer API key on production and staging, and answers errors as problem details or the gateway's 429", () => {
        expect(document.servers.map((s: { url: string }) => s.url)).toEqual([
            "https://api.sonorancms.com",
            "https://staging-api.dev.sonorancms.com",
        ]);
        expect(document.security).toEqual([{ ApiKey: [] }]);
        expect(document.components.securitySchemes.ApiKey).toMatchObject({ type: "http", scheme: "bearer" });
        for (const { key, op } of operations) {
            expect(op.security, key).toBeUndefined();
            expect(op.responses["4XX"], key).toEqual({ $ref: "#/components/responses/ClientError" });
            expect(op.responses["5XX"], key).toEqual({ $ref: "#/components/responses/ServerError" });
            expect(op.responses["429"], key).toEqual({ $ref: "#/components/responses/RateLimited" });
        }
        expect(Object.keys(document.components.responses.ClientError.content)).toEqual(["application/problem+json"]);
        expect(Object.keys(document.components.schemas.ProblemDetails.properties)).toEqual([
            "type",
            "title",
            "status",
            "detail",
            "instance",
            "traceId",
        ]);
        expect(document.components.responses.RateLimited.headers["Retry-After"]).toBeDefined();
    });

    it("wraps every JSON success in the one envelope, narrowing only `data`", () => {
        for (const { key, op } of operations) {
            for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
                if (!status.startsWith("2") || !response.content) continue;
                const schema = response.content["application/json"].schema;
                expect(schema.allOf[0], `${key} ${status}`).toEqual({ $ref: "#/components/schemas/SuccessEnvelope" });
                expect(Object.keys(schema.allOf[1].properties), `${key} ${status}`).toEqual(["data"]);
            }
        }
    });
});
