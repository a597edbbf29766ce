import { createMockServer, type MockServer, sonoranCadScenario } from "@joinkit/codegen/mock";
import { createSonoranCadClient, SonoranCadError } from "joinkit/sonoran-cad";
import { afterAll, beforeAll, expect, it } from "vitest";

// Sonoran gives out no internal key: the simulator is where a join can be tried.
const cad = sonoranCadScenario({
    communities: {
        "paid-community": { apiKey: "cad-key", internalKey: "internal-key" },
        "free-community": { apiKey: "cad-key", apiEnabled: false },
    },
});
let mock: MockServer;
beforeAll(async () => {
    mock = await createMockServer("specs/sonoran-cad.yaml", { scenario: cad });
});
afterAll(() => mock.close());

const client = (communityId: string) =>
    createSonoranCadClient({ communityId, apiKey: "cad-key", internalKey: "internal-key", baseUrl: mock.url });

it("joins and leaves accounts", async () => {
    const sonoran = client("paid-community");
    expect((await sonoran.joinCommunity({ accounts: ["account-1", "account-2"] })).error).toBeUndefined();
    await sonoran.leaveCommunity({ accounts: "account-1" });
    expect(cad.members("paid-community")).toEqual(["account-2"]);
});

it("gets Sonoran's own error strings back as codes", async () => {
    const { error } = await client("free-community").joinCommunity({ accounts: "account-1" });
    expect(error?.kind === "http" && error.code).toBe(SonoranCadError.ApiNotEnabled);
});
