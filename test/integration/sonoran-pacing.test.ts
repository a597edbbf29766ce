// Sonoran asks for about one call per second sustained (CAD docs, api-integration/README.md)
// and its SDK keeps one request in flight per route: joins and leaves of one community
// queue behind each other instead of bursting, whichever client object sends them.
import { describe, expect, it } from "vitest";
import { createSonoranCadClient, type SonoranCadClientOptions } from "../../src/sonoran-cad.js";
import { SONORAN_SPEC } from "../support/fixtures.js";
import { useSpecServer, type SpecServer } from "../support/spec-server.js";

let server: SpecServer;
useSpecServer(SONORAN_SPEC, (started) => (server = started));

/** Holds each answer a while and records, per community, how many requests overlapped. */
function slowServer(holdMs: number) {
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const order: string[] = [];
    server.respondWith(async (request) => {
        const { id, type } = request.body as { id: string; type: string };
        order.push(`${id} ${type}`);
        inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
        peak.set(id, Math.max(peak.get(id) ?? 0, inFlight.get(id)!));
        // While one community's call is held, another community's may arrive: record that too.
        peak.set("any", Math.max(peak.get("any") ?? 0, [...inFlight.values()].reduce((a, b) => a + b, 0)));
        await new Promise((resolve) => setTimeout(resolve, holdMs));
        inFlight.set(id, inFlight.get(id)! - 1);
        return { status: 200 };
    });
    return { peak, order };
}

const cad = (options: Partial<SonoranCadClientOptions> = {}) =>
    createSonoranCadClient({
        communityId: "pace-1",
        apiKey: "k-PACE-1",
        internalKey: "ik-PACE",
        baseUrl: server.url,
        retry: false,
        ...options,
    });

describe("Sonoran pacing per community", () => {
    it("sends one join or leave of a community at a time; concurrent callers queue in order", async () => {
        const { peak, order } = slowServer(150);
        const first = cad();
        const second = cad(); // another client object for the same community shares the queue
        const results = await Promise.all([
            first.joinCommunity({ accounts: "a1" }),
            first.joinCommunity({ accounts: "a2" }),
            second.leaveCommunity({ accounts: "a3" }),
        ]);
        for (const result of results) expect(result.error).toBeUndefined();
        expect(peak.get("pace-1")).toBe(1);
        expect(order).toEqual(["pace-1 JOIN_COMMUNITY", "pace-1 JOIN_COMMUNITY", "pace-1 LEAVE_COMMUNITY"]);
    }, 30_000);

    it("does not hold one community's calls behind another's", async () => {
        const { peak } = slowServer(300);
        const results = await Promise.all([
            cad({ communityId: "pace-2", apiKey: "k-PACE-2" }).joinCommunity({ accounts: "a" }),
            cad({ communityId: "pace-3", apiKey: "k-PACE-3" }).joinCommunity({ accounts: "a" }),
        ]);
        for (const result of results) expect(result.error).toBeUndefined();
        expect(peak.get("any")).toBe(2);
    }, 30_000);

    it("keys the queue by community, not by API key: a rotated key shares its community's queue", async () => {
        const { peak } = slowServer(150);
        await Promise.all([
            cad({ communityId: "pace-4", apiKey: "k-OLD" }).joinCommunity({ accounts: "a" }),
            cad({ communityId: "pace-4", apiKey: "k-NEW" }).joinCommunity({ accounts: "b" }),
        ]);
        expect(peak.get("pace-4")).toBe(1);
    }, 30_000);

    it("lets the caller opt out with rateLimit: false", async () => {
        const { peak } = slowServer(300);
        const free = cad({ communityId: "pace-5", rateLimit: false });
        await Promise.all([free.joinCommunity({ accounts: "a" }), free.joinCommunity({ accounts: "b" })]);
        expect(peak.get("pace-5")).toBe(2);
    }, 30_000);

    it("releases the queue when a queued caller aborts", async () => {
        slowServer(200);
        const client = cad({ communityId: "pace-6" });
        const controller = new AbortController();
        const running = client.joinCommunity({ accounts: "a" });
        const queued = client.joinCommunity({ accounts: "b" }, { signal: controller.signal });
        const after = client.joinCommunity({ accounts: "c" });
        controller.abort();
        expect((await queued).error?.kind).toBe("aborted");
        expect((await running).error).toBeUndefined();
        expect((await after).error).toBeUndefined();
        expect(server.received.map((r) => (r.body as { data: { account: string }[] }).data[0]!.account)).toEqual([
            "a",
            "c",
        ]);
    }, 30_000);
});
