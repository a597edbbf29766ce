import { amityScenario, createMockServer, type MockServer } from "@joinkit/codegen/mock";
import { AmityErrorCode, createAmityClient } from "joinkit/amity";
import { afterAll, beforeAll, expect, it } from "vitest";

// A community that needs a moderator's approval, and who holds which token.
const amity = amityScenario({
    communities: { "book-club": { needsApproval: true, moderators: ["mod"] } },
    users: { "token-ada": "ada", "token-ada-renewed": "ada", "token-mod": "mod" },
});
let mock: MockServer;
beforeAll(async () => {
    mock = await createMockServer("specs/amity-social-cloud.yaml", { scenario: amity });
});
afterAll(() => mock.close());

const as = (accessToken: string) => createAmityClient({ region: "eu", accessToken, baseUrl: mock.url });

it("a join waits for a moderator, who approves it", async () => {
    const joined = await as("token-ada").joinCommunity({ communityId: "book-club" });
    expect(joined.data?.status).toBe("pending");

    await as("token-mod").approveJoinRequests({ communityId: "book-club", users: joined.data!.request });
    const mine = await as("token-ada").myJoinRequest({ communityId: "book-club" });
    expect(mine.data?.request?.status).toBe("approved");
    expect(amity.members("book-club")).toEqual(["ada"]);
});

it("an expired token is renewed once, through onUnauthorized", async () => {
    amity.expireToken("token-ada");
    const ada = createAmityClient({
        region: "eu",
        accessToken: "token-ada",
        baseUrl: mock.url,
        onUnauthorized: async () => "token-ada-renewed",
    });
    expect((await ada.myJoinRequest({ communityId: "book-club" })).error).toBeUndefined();
});

it("a join is never sent twice, whatever the server says", async () => {
    mock.answer("joinCommunity", { status: 500 });
    const { error } = await as("token-mod").joinCommunity({ communityId: "book-club" });
    expect(error).toMatchObject({ kind: "http", status: 500, code: AmityErrorCode.UnexpectedError });
    expect(mock.requests.filter((r) => r.operation === "joinCommunity" && r.status === 500)).toHaveLength(1);
});
