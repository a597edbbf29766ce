// Type-level tests: `tsc --noEmit` (part of `npm test`) checks every line here, so a type
// that loosens turns an `@ts-expect-error` into a compile error. Vitest runs the file too.
import { describe, expectTypeOf, it } from "vitest";
import {
    AmityErrorCode,
    createAmityClient,
    createSonoranCadClient,
    SonoranCadError,
    type ApiError,
    type JoinCommunityResponse,
} from "../src/index.js";

const cad = createSonoranCadClient({ communityId: "c", apiKey: "k", internalKey: "i", baseUrl: "http://127.0.0.1:9" });
const amity = createAmityClient({ region: "us", accessToken: "t", baseUrl: "http://127.0.0.1:9" });

describe("client types", () => {
    it("types Amity's data from the spec and narrows error codes to the enum", () => {
        type Result = Awaited<ReturnType<typeof amity.joinCommunity>>;
        // openapi-fetch's Readable<> wrapper makes the type a mapped copy: equal both ways, not identical.
        expectTypeOf<NonNullable<Result["data"]>>().toExtend<JoinCommunityResponse>();
        expectTypeOf<JoinCommunityResponse>().toExtend<NonNullable<Result["data"]>>();
        expectTypeOf<NonNullable<Result["data"]>>().not.toExtend<string>();
        expectTypeOf<Result["error"]>().toEqualTypeOf<ApiError<AmityErrorCode> | undefined>();
        expectTypeOf<Extract<NonNullable<Result["error"]>, { kind: "http" }>["code"]>().toEqualTypeOf<AmityErrorCode | undefined>();
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
