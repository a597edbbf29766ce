import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createMockServer, type MockServer, sendCmsPushEvent, sonoranCmsScenario } from "@joinkit/codegen/mock";
import { createSonoranCmsClient } from "joinkit/sonoran-cms";
import { afterAll, beforeAll, expect, it } from "vitest";

// 30 accounts generated from the spec's AccountSummary (the same seed, the same accounts).
const cms = sonoranCmsScenario({ apiKey: "cms-key", accounts: 30 });
let mock: MockServer;
beforeAll(async () => {
    mock = await createMockServer("specs/sonoran-cms.yaml", { scenario: cms });
});
afterAll(() => mock.close());

const client = () => createSonoranCmsClient({ apiKey: "cms-key", baseUrl: mock.url });

it("pages through every account", async () => {
    const ids: unknown[] = [];
    for await (const account of client().accounts.list({ take: 10 })) ids.push(account.accId);
    expect(ids).toEqual(cms.accounts.map((account) => account.accId));
});

it("reports the gateway's 429, which production follows with an hour's block", async () => {
    mock.answer("getCommunity", { status: 429, retryAfter: 3600 });
    const { error } = await client().community.get();
    expect(error).toMatchObject({ kind: "rate-limited", retryAfterMs: 3_600_000 });
});

it("delivers a push event to your server, keyed with the community's API key", async () => {
    const received: unknown[] = [];
    const yourServer = createServer((request, response) => {
        let body = "";
        request.on("data", (chunk) => (body += chunk));
        request.on("end", () => {
            received.push(JSON.parse(body));
            response.end("ok");
        });
    });
    await new Promise<void>((resolve) => yourServer.listen(0, "127.0.0.1", resolve));
    const { port } = yourServer.address() as AddressInfo;

    const delivery = await sendCmsPushEvent(mock, `http://127.0.0.1:${port}/sonorancms/events`, "ACCOUNT_KICKED", {
        apiKey: "cms-key",
    });
    expect(delivery.body).toBe("ok");
    expect(received).toEqual([{
        key: "cms-key",
        type: "ACCOUNT_KICKED",
        data: expect.objectContaining({ discordId: expect.any(String) }),
    }]);
    yourServer.close();
});
