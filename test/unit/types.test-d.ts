// Type tests, run by vitest's typecheck mode (tsc over the whole project, part of `npm test`):
// nothing here executes. A failed expectTypeOf, or an `@ts-expect-error` that meets no error
// because a type loosened, fails the test it is in.
import { describe, expectTypeOf, it } from "vitest";
import {
    AmityErrorCode,
    createAmityClient,
    createSonoranCadClient,
    SonoranCadError,
    type AmityComponents,
    type AmityPaths,
    type ApiError,
    type JoinCommunityResponse,
    type JoinOutcome,
    type JoinRequest,
    type JoinRequestRef,
    type JoinRequestsPageResult,
} from "../../src/index.js";
import { createClient, joinCommunity } from "../../generated/amity-social-cloud/index.js";

const cad = createSonoranCadClient({ communityId: "c", apiKey: "k", internalKey: "i", baseUrl: "http://127.0.0.1:9" });
const amity = createAmityClient({ region: "us", accessToken: "t", baseUrl: "http://127.0.0.1:9" });

describe("client types", () => {
    it("types Amity's join result as joined or pending with the request, and narrows error codes to the enum", () => {
        type Result = Awaited<ReturnType<typeof amity.joinCommunity>>;
        expectTypeOf<NonNullable<Result["data"]>>().toEqualTypeOf<JoinOutcome>();
        expectTypeOf<JoinOutcome["status"]>().toEqualTypeOf<"joined" | "pending" | "rejected" | "cancelled">();
        expectTypeOf<JoinOutcome["request"]>().toEqualTypeOf<JoinRequest>();
        expectTypeOf<JoinOutcome["body"]>().toEqualTypeOf<JoinCommunityResponse>();
        expectTypeOf<Result["error"]>().toEqualTypeOf<
            ApiError<AmityErrorCode, AmityPaths["/api/v4/communities/{communityId}/join"]["post"]> | undefined
        >();
        // The shipped client keeps the spec's error bodies: a 403 narrows to the error envelope.
        const error = {} as NonNullable<Result["error"]>;
        if (error.kind === "http" && error.status === 403) {
            expectTypeOf(error.body).toEqualTypeOf<AmityComponents["schemas"]["ErrorResponse"]>();
        }
        expectTypeOf<Extract<NonNullable<Result["error"]>, { kind: "http" }>["code"]>().toEqualTypeOf<
            AmityErrorCode | undefined
        >();
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
        expectTypeOf<NonNullable<Awaited<ReturnType<typeof amity.myJoinRequest>>["data"]>["request"]>().toEqualTypeOf<
            JoinRequest | null
        >();
        type Page = Awaited<ReturnType<ReturnType<typeof amity.joinRequests>["next"]>>;
        expectTypeOf<Extract<Page, { done?: false }>["value"]>().toEqualTypeOf<JoinRequestsPageResult>();
        expectTypeOf(amity.approveJoinRequests).parameter(0).toEqualTypeOf<
            { communityId: string } & { users: JoinRequestRef | readonly JoinRequestRef[] }
        >();
    });

    it("narrows Sonoran's error code to SonoranCadError", () => {
        type Result = Awaited<ReturnType<typeof cad.joinCommunity>>;
        expectTypeOf<Extract<NonNullable<Result["error"]>, { kind: "http" }>["code"]>().toEqualTypeOf<
            SonoranCadError | undefined
        >();
    });

    it("rejects wrong arguments at compile time", () => {
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
    });

    it("exports the generated enums with the spec's member names", () => {
        expectTypeOf(SonoranCadError.InvalidApiKey).toExtend<SonoranCadError>();
        expectTypeOf(AmityErrorCode.UserIsBanned).toExtend<AmityErrorCode>();
        expectTypeOf<SonoranCadError>().not.toExtend<AmityErrorCode>();
    });
});

describe("error bodies typed from the spec, by status", () => {
    type JoinOp = AmityPaths["/api/v4/communities/{communityId}/join"]["post"];
    type AmityError = AmityComponents["schemas"]["ErrorResponse"];
    /** The body type an error with status S has, whichever union member covers S. */
    type BodyAt<E, S extends number> = E extends { status: infer Covered; body: infer Body }
        ? (S extends Covered ? Body : never)
        : never;
    type Http = Extract<ApiError<AmityErrorCode, JoinOp>, { kind: "http" }>;

    it("narrows body to the declared response when the status is one the spec declares", () => {
        expectTypeOf<BodyAt<Http, 403>>().toEqualTypeOf<AmityError>();
        expectTypeOf<BodyAt<Http, 500>>().toEqualTypeOf<AmityError>();
        const error = {} as ApiError<AmityErrorCode, JoinOp>;
        if (error.kind === "http" && error.status === 404) expectTypeOf(error.body).toEqualTypeOf<AmityError>();
        if (error.kind === "http" && error.status === 502) expectTypeOf(error.body).toEqualTypeOf<unknown>();
    });

    it("leaves body unknown only for statuses the spec declares nothing for", () => {
        expectTypeOf<BodyAt<Http, 502>>().toEqualTypeOf<unknown>();
        expectTypeOf<Extract<Http, { status: 403 }>>().not.toEqualTypeOf<never>();
        // 429 is its own kind, typed from the declared 429 response (or the raw text).
        expectTypeOf<Extract<ApiError<AmityErrorCode, JoinOp>, { kind: "rate-limited" }>["body"]>().toEqualTypeOf<
            AmityError | string
        >();
    });

    it("types a range (4XX) and default, with a union where several media types apply", () => {
        interface Op {
            responses: {
                200: { content: { "application/json": { ok: true } } };
                404: { content: { "application/json": { missing: string }; "text/plain": string } };
                "4XX": { content: { "application/problem+json": { title: string } } };
                default: { content: { "application/json": { fault: number } } };
            };
        }
        type E = Extract<ApiError<never, Op>, { kind: "http" }>;
        expectTypeOf<BodyAt<E, 404>>().toEqualTypeOf<{ missing: string } | string>();
        expectTypeOf<BodyAt<E, 418>>().toEqualTypeOf<{ title: string }>();
        expectTypeOf<BodyAt<E, 503>>().toEqualTypeOf<{ fault: number }>();
        expectTypeOf<Extract<ApiError<never, Op>, { kind: "rate-limited" }>["body"]>().toEqualTypeOf<
            { title: string } | string
        >();
    });

    it("keeps an untyped ApiError's body unknown", () => {
        expectTypeOf<Extract<ApiError, { kind: "http" }>["body"]>().toEqualTypeOf<unknown>();
    });
});

describe("the per-call argument takes only the request", () => {
    it("rejects behaviour and client settings in init at compile time", () => {
        const client = createClient({ baseUrl: "http://127.0.0.1:9" });
        const init = { params: { path: { communityId: "c" } } };
        void joinCommunity(client, init, { signal: AbortSignal.abort(), timeoutMs: 5, retry: false });
        // @ts-expect-error signal belongs to the options argument
        void joinCommunity(client, { ...init, signal: AbortSignal.abort() });
        // @ts-expect-error baseUrl is the client's
        void joinCommunity(client, { ...init, baseUrl: "https://elsewhere.example" });
        // @ts-expect-error fetch is the client's
        void joinCommunity(client, { ...init, fetch: globalThis.fetch });
        // @ts-expect-error middleware is the client's
        void joinCommunity(client, { ...init, middleware: [] });
        // @ts-expect-error timeoutMs belongs to the options argument
        void joinCommunity(client, { ...init, timeoutMs: 5 });
        // @ts-expect-error options take no request parts
        void joinCommunity(client, init, { params: {} });
        // @ts-expect-error the Amity request object holds only communityId
        void amity.joinCommunity({ communityId: "c", signal: AbortSignal.abort() });
    });
});
