// Type-level tests: `tsc --noEmit` (part of `npm test`) checks every line here, so a type
// that loosens turns an `@ts-expect-error` into a compile error. Vitest runs the file too.
import { describe, expectTypeOf, it } from "vitest";
import {
    AmityErrorCode,
    createAmityClient,
    createSonoranCadClient,
    SonoranCadError,
    type AmityPaths,
    type ApiError,
    type JoinCommunityResponse,
    type JoinOutcome,
    type JoinRequest,
    type JoinRequestRef,
    type JoinRequestsPageResult,
} from "../src/index.js";

const cad = createSonoranCadClient({ communityId: "c", apiKey: "k", internalKey: "i", baseUrl: "http://127.0.0.1:9" });
const amity = createAmityClient({ region: "us", accessToken: "t", baseUrl: "http://127.0.0.1:9" });

describe("client types", () => {
    it("types Amity's join result as joined or pending with the request, and narrows error codes to the enum", () => {
        type Result = Awaited<ReturnType<typeof amity.joinCommunity>>;
        expectTypeOf<NonNullable<Result["data"]>>().toEqualTypeOf<JoinOutcome>();
        expectTypeOf<JoinOutcome["status"]>().toEqualTypeOf<"joined" | "pending" | "rejected" | "cancelled">();
        expectTypeOf<JoinOutcome["request"]>().toEqualTypeOf<JoinRequest>();
        expectTypeOf<JoinOutcome["body"]>().toEqualTypeOf<JoinCommunityResponse>();
        expectTypeOf<Result["error"]>().toEqualTypeOf<ApiError<AmityErrorCode> | undefined>();
        expectTypeOf<Extract<NonNullable<Result["error"]>, { kind: "http" }>["code"]>().toEqualTypeOf<AmityErrorCode | undefined>();
    });

    it("types the fields that are null on a pending request as string | null, and the rest as the SDK guarantees", () => {
        expectTypeOf<JoinRequest["respondedAt"]>().toEqualTypeOf<string | null>();
        expectTypeOf<JoinRequest["responderId"]>().toEqualTypeOf<string | null>();
        expectTypeOf<JoinRequest["responderPublicId"]>().toEqualTypeOf<string | null>();
        expectTypeOf<JoinRequest["responderInternalId"]>().toEqualTypeOf<string | null>();
        expectTypeOf<JoinRequest["requestorInternalId"]>().toEqualTypeOf<string>();
        expectTypeOf<JoinRequest["status"]>().toEqualTypeOf<"pending" | "approved" | "rejected" | "cancelled">();
        expectTypeOf<JoinCommunityResponse["joinRequests"]>().toEqualTypeOf<JoinRequest[]>();
        type File = JoinCommunityResponse["files"][number];
        expectTypeOf<File["type"]>().toEqualTypeOf<"file" | "image" | "video" | "clip" | "audio">();
        expectTypeOf<File["accessType"]>().toEqualTypeOf<"public" | "network">();
        type User = JoinCommunityResponse["users"][number];
        expectTypeOf<"MUTE_CHANNEL">().toExtend<User["permissions"][number]>();
        expectTypeOf<"NOT_A_PERMISSION">().not.toExtend<User["permissions"][number]>();
    });

    it("types the lifecycle calls", () => {
        expectTypeOf<NonNullable<Awaited<ReturnType<typeof amity.myJoinRequest>>["data"]>["request"]>().toEqualTypeOf<JoinRequest | null>();
        type Page = Awaited<ReturnType<ReturnType<typeof amity.joinRequests>["next"]>>;
        expectTypeOf<Extract<Page, { done?: false }>["value"]>().toEqualTypeOf<JoinRequestsPageResult>();
        expectTypeOf(amity.approveJoinRequests).parameter(0).toEqualTypeOf<{ communityId: string } & { users: JoinRequestRef | readonly JoinRequestRef[] }>();
    });

    it("narrows Sonoran's error code to SonoranCadError", () => {
        type Result = Awaited<ReturnType<typeof cad.joinCommunity>>;
        expectTypeOf<Extract<NonNullable<Result["error"]>, { kind: "http" }>["code"]>().toEqualTypeOf<SonoranCadError | undefined>();
    });

    it("rejects wrong arguments at compile time", () => {
        const neverCalled = () => {
            // @ts-expect-error communityId is required
            void amity.joinCommunity({});
            // @ts-expect-error communityId is a string
            void amity.joinCommunity({ communityId: 42 });
            // @ts-expect-error accounts is required
            void cad.joinCommunity({});
            // @ts-expect-error an account is a string or { account }
            void cad.joinCommunity({ accounts: [42] });
            // @ts-expect-error credentials are the client's, not the call's
            void cad.joinCommunity({ accounts: "a", apiKey: "k" });
            // @ts-expect-error a join request's status is one of four
            void amity.joinRequests({ communityId: "c", status: "open" });
            // @ts-expect-error a token is a string or a function returning one
            createAmityClient({ region: "us", accessToken: 42 });
            // @ts-expect-error the spec's regions are us, eu and sg
            createAmityClient({ region: "mars", accessToken: "t" });
            // @ts-expect-error internalKey is required
            createSonoranCadClient({ communityId: "c", apiKey: "k" });
            // @ts-expect-error the raw client knows the spec's paths
            void amity.raw.POST("/api/v4/communities/{communityId}/leave", { params: { path: { communityId: "c" } } });
            // @ts-expect-error the raw client requires the path parameter
            void amity.raw.POST("/api/v4/communities/{communityId}/join", {});
        };
        expectTypeOf(neverCalled).toBeFunction();
    });

    it("exports the generated enums with the spec's member names", () => {
        expectTypeOf(SonoranCadError.InvalidApiKey).toExtend<SonoranCadError>();
        expectTypeOf(AmityErrorCode.UserIsBanned).toExtend<AmityErrorCode>();
        expectTypeOf<SonoranCadError>().not.toExtend<AmityErrorCode>();
    });
});
