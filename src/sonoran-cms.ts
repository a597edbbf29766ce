import * as api from "../generated/sonoran-cms/index.js";
import type { components, paths } from "../generated/sonoran-cms/index.js";
import {
    MAX_RAW_TEXT,
    type ApiClient,
    type ApiError,
    type CallOptions,
    type ClientBehaviourOptions,
    type OperationResult,
    type OperationSpec,
    type ProblemDetails,
    type SuccessData,
} from "./runtime/index.js";
import { retryPolicy, settingsOf } from "./runtime/client.js";
import type { Redactor } from "./runtime/redact.js";
import { sleep } from "./runtime/timing.js";

export type { components as SonoranCmsComponents, paths as SonoranCmsPaths };
export type {
    Account,
    AccountPage,
    AccountRecord,
    AccountSummary,
    AceConfig,
    AceMapping,
    ClockEntry,
    CommunitySummary,
    Department,
    DisciplinaryRecord,
    ErlcPlayer,
    FormSubmission,
    FormSubmissionPage,
    Identifier,
    ResponseMeta,
    RosterPage,
    RosterRow,
    Server,
    Session,
    WhitelistEntry,
} from "../generated/sonoran-cms/index.js";

/** `production` (`https://api.sonorancms.com`) or `staging` (`https://staging-api.dev.sonorancms.com`). */
export type SonoranCmsEnvironment = "production" | "staging";

// In the order of the spec's `servers`: production first, then staging.
const ENVIRONMENTS: readonly SonoranCmsEnvironment[] = ["production", "staging"];

/**
 * Also takes the runtime's behaviour options: `timeoutMs`, `retry`, `rateLimit`, `logger`,
 * `maxBodyBytes`, `maxRedirects`, and openapi-fetch `middleware` (run before the one that
 * adds the API key, so it never sees the key).
 */
export interface SonoranCmsClientOptions extends ClientBehaviourOptions {
    /** Your Sonoran CMS API key. Sent as `Authorization: Bearer …`; never appears in errors or logs. */
    apiKey: string;
    /** Which Sonoran CMS to call. Default `production`. */
    environment?: SonoranCmsEnvironment;
    /** Overrides the environment's URL (a proxy, a test server). */
    baseUrl?: string;
    fetch?: (input: Request) => Promise<Response>;
}

/** Problem details as the CMS sends them: RFC 9457 members plus the vendor's `traceId`. */
export type SonoranCmsProblem = ProblemDetails & { readonly traceId?: string };

type WithCmsProblem<E> = E extends { readonly kind: "http" | "rate-limited" }
    ? Omit<E, "problem"> & { readonly problem?: SonoranCmsProblem }
    : E;

/**
 * Every way a CMS call can fail (the runtime's `ApiError`). Errors the CMS sends are
 * `application/problem+json`: `error.problem` holds them typed (`traceId` included); a 429
 * from the gateway is `rate-limited` with its `{ message, request_id }` in `body`.
 */
export type SonoranCmsError = WithCmsProblem<ApiError>;

/**
 * What every CMS call resolves to; it never rejects. On success the v2 envelope
 * `{ success, data, meta }` is unwrapped: `data` is the operation's result, `meta` the
 * envelope's `{ timestamp, path }`.
 */
export type CmsResult<Data, Meta = components["schemas"]["ResponseMeta"]> =
    | { readonly data: Data; readonly meta: Meta; readonly error: undefined; readonly response: Response }
    | {
        readonly data: undefined;
        readonly meta: undefined;
        readonly error: SonoranCmsError;
        readonly response: Response | undefined;
    };

/**
 * A paged listing. Its first page is requested at once; `await` it for that page. Iterate
 * it with `for await` for every item of every page, the later pages fetched as needed: the
 * walk adds the number of items received to `skip` and stops at an empty page or once
 * `skip` reaches the total. A page that fails ends the walk by throwing a
 * `SonoranCmsPageError`; `pages()` yields each page's result instead, the failed one last,
 * and never throws.
 */
export interface Paginated<Page, Item> extends PromiseLike<CmsResult<Page>> {
    [Symbol.asyncIterator](): AsyncIterator<Item>;
    pages(): AsyncIterable<CmsResult<Page>>;
}

/** Thrown by `for await` over a paged listing when a page fails; `error` says how. */
export class SonoranCmsPageError extends Error {
    constructor(
        readonly error: SonoranCmsError,
        readonly response: Response | undefined,
    ) {
        super(error.message);
        this.name = "SonoranCmsPageError";
    }
}

type Schemas = components["schemas"];
type Op<Path extends keyof paths, Method extends keyof paths[Path]> = paths[Path][Method];
/** What an operation's envelope carries in `data`. */
type DataOf<Operation> = SuccessData<Operation> extends { data: infer Data } ? Data : undefined;
type QueryOf<Operation> = Operation extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;
type Call<Operation> = Promise<CmsResult<DataOf<Operation>>>;
/** A body whose `accId` repeats the path's account: the client fills it in unless given. */
type WithoutAccId<Body> = Omit<Body, "accId"> & { accId?: string };

// Loose on purpose: the wrappers are generic over `parseAs`; `SonoranCmsClient` types every method.
type Wrapper = (client: ApiClient<paths>, init: any, options?: CallOptions) => Promise<OperationResult<any, any>>;

export interface SonoranCmsClient {
    /** The community and its settings. */
    readonly community: {
        /** `GET /v2/community`: the key's community. */
        get(options?: CallOptions): Call<Op<"/v2/community", "get">>;
        /** `GET /v2/community/sub-version`: its subscription sub-version and tier. */
        subVersion(options?: CallOptions): Call<Op<"/v2/community/sub-version", "get">>;
        /** `GET /v2/community/lookup`: a community by `id` or `uuid` (give one). */
        lookup(
            query: QueryOf<Op<"/v2/community/lookup", "get">>,
            options?: CallOptions,
        ): Call<Op<"/v2/community/lookup", "get">>;
        /** `GET /v2/community/departments`. */
        departments(options?: CallOptions): Call<Op<"/v2/community/departments", "get">>;
        /** `GET /v2/community/profile-fields`: the profile field definitions. */
        profileFields(options?: CallOptions): Call<Op<"/v2/community/profile-fields", "get">>;
        /** `GET /v2/community/clockin-types`. */
        clockInTypes(options?: CallOptions): Call<Op<"/v2/community/clockin-types", "get">>;
        /** `GET /v2/community/custom-log-types`. */
        customLogTypes(options?: CallOptions): Call<Op<"/v2/community/custom-log-types", "get">>;
    };
    readonly promotionFlows: {
        /** `GET /v2/community/promotion-flows`. */
        list(options?: CallOptions): Call<Op<"/v2/community/promotion-flows", "get">>;
        /** `POST /v2/community/promotion-flows/trigger`: runs flows for users. Not retried. */
        trigger(
            body: Schemas["TriggerPromotionFlowsRequest"],
            options?: CallOptions,
        ): Call<Op<"/v2/community/promotion-flows/trigger", "post">>;
    };
    readonly rankChanges: {
        /** `POST /v2/community/rank-changes/{undoId}/undo`. Not retried. */
        undo(
            undoId: string,
            body: Schemas["UndoRankChangeRequest"],
            options?: CallOptions,
        ): Call<Op<"/v2/community/rank-changes/{undoId}/undo", "post">>;
    };
    readonly shortUrls: {
        /** `POST /v2/community/short-urls`. Not retried. */
        create(
            body: Schemas["CreateShortUrlRequest"],
            options?: CallOptions,
        ): Call<Op<"/v2/community/short-urls", "post">>;
    };
    readonly accounts: {
        /** `GET /v2/community/accounts`: one page, or (with `for await`) every account. */
        list(
            query?: QueryOf<Op<"/v2/community/accounts", "get">>,
            options?: CallOptions,
        ): Paginated<Schemas["AccountPage"], Schemas["AccountSummary"]>;
        /** `GET /v2/community/accounts/search`: by one identifier. Not paged. */
        search(
            query: QueryOf<Op<"/v2/community/accounts/search", "get">>,
            options?: CallOptions,
        ): Call<Op<"/v2/community/accounts/search", "get">>;
        /** `GET /v2/community/accounts/{accountId}`. */
        get(accountId: string, options?: CallOptions): Call<Op<"/v2/community/accounts/{accountId}", "get">>;
        /** `PATCH …/{accountId}/name`. */
        setName(
            accountId: string,
            body: Schemas["SetAccountNameRequest"],
            options?: CallOptions,
        ): Call<Op<"/v2/community/accounts/{accountId}/name", "patch">>;
        /** `POST …/{accountId}/sync`: starts a sync. Not retried. */
        sync(accountId: string, options?: CallOptions): Call<Op<"/v2/community/accounts/{accountId}/sync", "post">>;
        readonly ranks: {
            /** `GET …/{accountId}/ranks`: the rank IDs. */
            get(accountId: string, options?: CallOptions): Call<Op<"/v2/community/accounts/{accountId}/ranks", "get">>;
            /** `PATCH …/{accountId}/ranks`: adds ranks and sets `active`. Not retried. */
            set(
                accountId: string,
                body: WithoutAccId<Schemas["SetAccountRanksRequest"]>,
                options?: CallOptions,
            ): Call<Op<"/v2/community/accounts/{accountId}/ranks", "patch">>;
        };
        readonly identifiers: {
            /** `GET …/{accountId}/identifiers`. */
            list(
                accountId: string,
                options?: CallOptions,
            ): Call<Op<"/v2/community/accounts/{accountId}/identifiers", "get">>;
            /** `POST …/{accountId}/identifiers`. Not retried. */
            register(
                accountId: string,
                body: Schemas["RegisterIdentifiersRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/accounts/{accountId}/identifiers", "post">>;
        };
        readonly profileFields: {
            /** `PATCH …/{accountId}/profile-fields`: sets the values given. */
            set(
                accountId: string,
                body: Schemas["EditProfileFieldsRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/accounts/{accountId}/profile-fields", "patch">>;
        };
        readonly clock: {
            /** `POST …/{accountId}/clock`: clocks in or out. Not retried. */
            record(
                accountId: string,
                body: WithoutAccId<Schemas["ClockAccountRequest"]>,
                options?: CallOptions,
            ): Call<Op<"/v2/community/accounts/{accountId}/clock", "post">>;
            /** `GET …/{accountId}/clock/current`: the open clock row, or `"Not Clocked In"`. */
            current(
                accountId: string,
                query?: QueryOf<Op<"/v2/community/accounts/{accountId}/clock/current", "get">>,
                options?: CallOptions,
            ): Call<Op<"/v2/community/accounts/{accountId}/clock/current", "get">>;
        };
        readonly activity: {
            /** `GET …/{accountId}/activity/latest`. */
            latest(
                accountId: string,
                query?: QueryOf<Op<"/v2/community/accounts/{accountId}/activity/latest", "get">>,
                options?: CallOptions,
            ): Call<Op<"/v2/community/accounts/{accountId}/activity/latest", "get">>;
        };
    };
    readonly servers: {
        /** `GET /v2/community/servers`. */
        list(options?: CallOptions): Call<Op<"/v2/community/servers", "get">>;
        /** `PUT /v2/community/servers`: replaces the whole list. */
        replace(body: Schemas["ServerListInput"], options?: CallOptions): Call<Op<"/v2/community/servers", "put">>;
        /** `POST /v2/community/servers`: appends servers. Not retried. */
        add(body: Schemas["ServerListInput"], options?: CallOptions): Call<Op<"/v2/community/servers", "post">>;
        /** `PATCH …/{serverId}/type`. */
        setType(
            serverId: number,
            body: Schemas["SetServerTypeRequest"],
            options?: CallOptions,
        ): Call<Op<"/v2/community/servers/{serverId}/type", "patch">>;
        readonly aceConfig: {
            /** `GET …/{serverId}/ace-config`: the mappings. */
            get(
                serverId: number,
                options?: CallOptions,
            ): Call<Op<"/v2/community/servers/{serverId}/ace-config", "get">>;
            /** `PATCH …/{serverId}/ace-config`: sets the mappings. */
            set(
                serverId: number,
                body: Schemas["SetAceConfigRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/servers/{serverId}/ace-config", "patch">>;
        };
        readonly whitelist: {
            /** `POST …/{serverId}/whitelist/check`: the account's name if whitelisted, else an error (`error.problem`). */
            check(
                serverId: number,
                body: Schemas["AccountReference"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/servers/{serverId}/whitelist/check", "post">>;
            /** `GET …/{serverId}/whitelist`: every entry. */
            get(serverId: number, options?: CallOptions): Call<Op<"/v2/community/servers/{serverId}/whitelist", "get">>;
        };
        readonly activity: {
            /** `POST …/{serverId}/activity`: records an activity event. Not retried. */
            record(
                serverId: number,
                body: Schemas["ActivityEventRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/servers/{serverId}/activity", "post">>;
            /** `POST …/{serverId}/activity/start`: finishes in-progress activity after a restart. Not retried. */
            start(
                serverId: number,
                options?: CallOptions,
            ): Call<Op<"/v2/community/servers/{serverId}/activity/start", "post">>;
        };
    };
    readonly events: {
        /** `POST /v2/community/events/{eventId}/rsvps`: toggles the account's RSVP. Not retried. */
        toggleRsvp(
            eventId: string,
            body: Schemas["AccountReference"],
            options?: CallOptions,
        ): Call<Op<"/v2/community/events/{eventId}/rsvps", "post">>;
    };
    readonly forms: {
        /** `PATCH /v2/community/forms/{formId}/stage`. Not retried. */
        changeStage(
            formId: number,
            body: Schemas["ChangeFormStageRequest"],
            options?: CallOptions,
        ): Call<Op<"/v2/community/forms/{formId}/stage", "patch">>;
        readonly submissions: {
            /** `GET /v2/community/forms/{templateId}/submissions`: one page, or every submission. */
            list(
                templateId: number,
                query?: QueryOf<Op<"/v2/community/forms/{templateId}/submissions", "get">>,
                options?: CallOptions,
            ): Paginated<Schemas["FormSubmissionPage"], Schemas["FormSubmission"]>;
            /** `GET /v2/community/forms/submissions/{submissionId}`. */
            get(
                submissionId: number,
                options?: CallOptions,
            ): Call<Op<"/v2/community/forms/submissions/{submissionId}", "get">>;
        };
        readonly lock: {
            /** `GET /v2/community/forms/{templateId}/lock`: whether the template is locked. */
            get(templateId: number, options?: CallOptions): Call<Op<"/v2/community/forms/{templateId}/lock", "get">>;
            /** `PATCH /v2/community/forms/{templateId}/lock`. */
            set(
                templateId: number,
                body: Schemas["SetFormLockRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/forms/{templateId}/lock", "patch">>;
        };
    };
    readonly rosters: {
        /** `GET /v2/community/rosters/{rosterId}`: one page of rows, or every row. */
        get(
            rosterId: number,
            query?: QueryOf<Op<"/v2/community/rosters/{rosterId}", "get">>,
            options?: CallOptions,
        ): Paginated<Schemas["RosterPage"], Schemas["RosterRow"]>;
    };
    readonly disciplinary: {
        /** `GET /v2/community/disciplinary/accounts/{accountId}/points`: the member's total. */
        points(
            accountId: string,
            query?: QueryOf<Op<"/v2/community/disciplinary/accounts/{accountId}/points", "get">>,
            options?: CallOptions,
        ): Call<Op<"/v2/community/disciplinary/accounts/{accountId}/points", "get">>;
        readonly records: {
            /** `GET …/accounts/{accountId}/records`. */
            list(
                accountId: string,
                query?: QueryOf<Op<"/v2/community/disciplinary/accounts/{accountId}/records", "get">>,
                options?: CallOptions,
            ): Call<Op<"/v2/community/disciplinary/accounts/{accountId}/records", "get">>;
            /** `POST …/accounts/{accountId}/records`. Not retried. */
            add(
                accountId: string,
                body: Schemas["AddDisciplinaryRecordRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/disciplinary/accounts/{accountId}/records", "post">>;
            /** `PATCH …/records/{recordId}/points`. */
            setPoints(
                recordId: string,
                body: Schemas["UpdateRecordPointsRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/disciplinary/records/{recordId}/points", "patch">>;
            /** `PATCH …/records/{recordId}/reason`. */
            setReason(
                recordId: string,
                body: Schemas["UpdateRecordReasonRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/disciplinary/records/{recordId}/reason", "patch">>;
            /** `PATCH …/records/{recordId}/status`. */
            setStatus(
                recordId: string,
                body: Schemas["UpdateRecordStatusRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/disciplinary/records/{recordId}/status", "patch">>;
        };
    };
    readonly erlc: {
        readonly players: {
            /** `GET /v2/community/erlc/players/online`. */
            online(
                query: QueryOf<Op<"/v2/community/erlc/players/online", "get">>,
                options?: CallOptions,
            ): Call<Op<"/v2/community/erlc/players/online", "get">>;
            /** `GET /v2/community/erlc/players/queue`: the queue length. */
            queue(
                query: QueryOf<Op<"/v2/community/erlc/players/queue", "get">>,
                options?: CallOptions,
            ): Call<Op<"/v2/community/erlc/players/queue", "get">>;
        };
        readonly records: {
            /** `POST /v2/community/erlc/records`. Not retried. */
            add(
                body: Schemas["AddErlcRecordRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/erlc/records", "post">>;
        };
        readonly commands: {
            /** `POST /v2/community/erlc/commands`: queues a command. Not retried. */
            execute(
                body: Schemas["ExecuteErlcCommandRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/erlc/commands", "post">>;
        };
        readonly teams: {
            /** `POST /v2/community/erlc/teams/lock`. */
            lock(
                body: Schemas["LockTeamRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/erlc/teams/lock", "post">>;
            /** `POST /v2/community/erlc/teams/unlock`. */
            unlock(
                body: Schemas["UnlockTeamRequest"],
                options?: CallOptions,
            ): Call<Op<"/v2/community/erlc/teams/unlock", "post">>;
        };
    };
    readonly sessions: {
        /** `GET /v2/community/sessions/current`. */
        current(
            query?: QueryOf<Op<"/v2/community/sessions/current", "get">>,
            options?: CallOptions,
        ): Call<Op<"/v2/community/sessions/current", "get">>;
        /** `POST /v2/community/sessions`. Not retried. */
        start(body: Schemas["SessionRequest"], options?: CallOptions): Call<Op<"/v2/community/sessions", "post">>;
        /** `PATCH /v2/community/sessions`: ends the current session. Not retried. */
        stop(body: Schemas["SessionRequest"], options?: CallOptions): Call<Op<"/v2/community/sessions", "patch">>;
        /** `DELETE /v2/community/sessions`: cancels the current session (204, no body). Not retried. */
        cancel(body: Schemas["SessionRequest"], options?: CallOptions): Promise<CmsResult<undefined, undefined>>;
    };
    /** The typed openapi-fetch client, with the API key already applied. */
    readonly raw: ApiClient<paths>["raw"];
}

/**
 * A client for the Sonoran CMS v2 API: one method per operation, grouped by area. Every
 * call waits its turn under the endpoint's published per-minute limit, counted per API
 * key across every client in the process, because the vendor blocks a key that exceeds
 * a limit (for an hour, in production).
 */
export function createSonoranCmsClient(options: SonoranCmsClientOptions): SonoranCmsClient {
    if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
        throw new TypeError("createSonoranCmsClient: apiKey is required");
    }
    const { apiKey, environment = "production", baseUrl, fetch, ...behaviour } = options;
    if (!ENVIRONMENTS.includes(environment)) {
        throw new TypeError(
            `createSonoranCmsClient: environment must be "production" or "staging", not ${JSON.stringify(environment)}`,
        );
    }
    const client = api.createClient({
        ...behaviour,
        baseUrl: baseUrl ?? api.servers[ENVIRONMENTS.indexOf(environment)]!.url,
        fetch,
        credentials: { ApiKey: apiKey },
    });
    const call = caller(client);
    const path = <Params extends object>(params: Params) => ({ params: { path: params } });
    const query = <Params extends object | undefined>(params: Params) => ({ params: { query: params } });

    return Object.freeze(
        {
            community: {
                get: (o) => call(api.getCommunity, api.getCommunityOperation, {}, o),
                subVersion: (o) => call(api.getSubVersion, api.getSubVersionOperation, {}, o),
                lookup: (q, o) => call(api.lookupCommunity, api.lookupCommunityOperation, query(q), o),
                departments: (o) => call(api.getDepartments, api.getDepartmentsOperation, {}, o),
                profileFields: (o) => call(api.getProfileFields, api.getProfileFieldsOperation, {}, o),
                clockInTypes: (o) => call(api.getClockInTypes, api.getClockInTypesOperation, {}, o),
                customLogTypes: (o) => call(api.getCustomLogTypes, api.getCustomLogTypesOperation, {}, o),
            },
            promotionFlows: {
                list: (o) => call(api.getPromotionFlows, api.getPromotionFlowsOperation, {}, o),
                trigger: (body, o) => call(api.triggerPromotionFlows, api.triggerPromotionFlowsOperation, { body }, o),
            },
            rankChanges: {
                undo: (undoId, body, o) =>
                    call(api.undoRankChange, api.undoRankChangeOperation, { ...path({ undoId }), body }, o),
            },
            shortUrls: {
                create: (body, o) => call(api.createShortUrl, api.createShortUrlOperation, { body }, o),
            },
            accounts: {
                list: (q, o) =>
                    paginate(
                        (skip) => call(api.getAccounts, api.getAccountsOperation, query({ ...q, skip }), o),
                        (page) => ({ items: page.items, total: page.total }),
                        q?.skip,
                    ),
                search: (q, o) => call(api.searchAccounts, api.searchAccountsOperation, query(q), o),
                get: (accountId, o) => call(api.getAccount, api.getAccountOperation, path({ accountId }), o),
                setName: (accountId, body, o) =>
                    call(api.setAccountName, api.setAccountNameOperation, { ...path({ accountId }), body }, o),
                sync: (accountId, o) =>
                    call(
                        api.forceSync,
                        api.forceSyncOperation,
                        { ...path({ accountId }), body: { accId: accountId } },
                        o,
                    ),
                ranks: {
                    get: (accountId, o) =>
                        call(api.getAccountRanks, api.getAccountRanksOperation, path({ accountId }), o),
                    set: (accountId, body, o) =>
                        call(api.setAccountRanks, api.setAccountRanksOperation, {
                            ...path({ accountId }),
                            body: { accId: accountId, ...body },
                        }, o),
                },
                identifiers: {
                    list: (accountId, o) =>
                        call(api.getAccountIdentifiers, api.getAccountIdentifiersOperation, path({ accountId }), o),
                    register: (accountId, body, o) =>
                        call(api.registerIdentifiers, api.registerIdentifiersOperation, {
                            ...path({ accountId }),
                            body,
                        }, o),
                },
                profileFields: {
                    set: (accountId, body, o) =>
                        call(
                            api.editProfileFields,
                            api.editProfileFieldsOperation,
                            { ...path({ accountId }), body },
                            o,
                        ),
                },
                clock: {
                    record: (accountId, body, o) =>
                        call(api.clockAccount, api.clockAccountOperation, {
                            ...path({ accountId }),
                            body: { accId: accountId, ...body },
                        }, o),
                    current: (accountId, q, o) =>
                        call(api.getCurrentClockIn, api.getCurrentClockInOperation, {
                            params: { path: { accountId }, query: q },
                        }, o),
                },
                activity: {
                    latest: (accountId, q, o) =>
                        call(api.getLatestActivity, api.getLatestActivityOperation, {
                            params: { path: { accountId }, query: q },
                        }, o),
                },
            },
            servers: {
                list: (o) => call(api.getServers, api.getServersOperation, {}, o),
                replace: (body, o) => call(api.setServers, api.setServersOperation, { body }, o),
                add: (body, o) => call(api.addServers, api.addServersOperation, { body }, o),
                setType: (serverId, body, o) =>
                    call(api.setServerType, api.setServerTypeOperation, { ...path({ serverId }), body }, o),
                aceConfig: {
                    get: (serverId, o) => call(api.getAceConfig, api.getAceConfigOperation, path({ serverId }), o),
                    set: (serverId, body, o) =>
                        call(api.setAceConfig, api.setAceConfigOperation, { ...path({ serverId }), body }, o),
                },
                whitelist: {
                    check: (serverId, body, o) =>
                        call(api.verifyWhitelist, api.verifyWhitelistOperation, { ...path({ serverId }), body }, o),
                    get: (serverId, o) =>
                        call(api.getFullWhitelist, api.getFullWhitelistOperation, path({ serverId }), o),
                },
                activity: {
                    record: (serverId, body, o) =>
                        call(api.activityTracker, api.activityTrackerOperation, { ...path({ serverId }), body }, o),
                    start: (serverId, o) =>
                        call(
                            api.activityTrackerServerStart,
                            api.activityTrackerServerStartOperation,
                            path({ serverId }),
                            o,
                        ),
                },
            },
            events: {
                toggleRsvp: (eventId, body, o) =>
                    call(api.createRsvp, api.createRsvpOperation, { ...path({ eventId }), body }, o),
            },
            forms: {
                changeStage: (formId, body, o) =>
                    call(api.changeFormStage, api.changeFormStageOperation, { ...path({ formId }), body }, o),
                submissions: {
                    list: (templateId, q, o) =>
                        paginate(
                            (skip) =>
                                call(api.getTemplateSubmissions, api.getTemplateSubmissionsOperation, {
                                    params: { path: { templateId }, query: { ...q, skip } },
                                }, o),
                            (page) => ({ items: page.forms, total: page.count }),
                            q?.skip,
                        ),
                    get: (submissionId, o) =>
                        call(api.getFormSubmission, api.getFormSubmissionOperation, path({ submissionId }), o),
                },
                lock: {
                    get: (templateId, o) =>
                        call(api.getFormLockStatus, api.getFormLockStatusOperation, path({ templateId }), o),
                    set: (templateId, body, o) =>
                        call(
                            api.setFormLockStatus,
                            api.setFormLockStatusOperation,
                            { ...path({ templateId }), body },
                            o,
                        ),
                },
            },
            rosters: {
                get: (rosterId, q, o) =>
                    paginate(
                        (skip) =>
                            call(api.getRosterContents, api.getRosterContentsOperation, {
                                params: { path: { rosterId }, query: { ...q, skip } },
                            }, o),
                        (page) => ({ items: page.rows, total: page.total }),
                        q?.skip,
                    ),
            },
            disciplinary: {
                points: (accountId, q, o) =>
                    call(api.getMemberPoints, api.getMemberPointsOperation, {
                        params: { path: { accountId }, query: q },
                    }, o),
                records: {
                    list: (accountId, q, o) =>
                        call(api.getMemberRecords, api.getMemberRecordsOperation, {
                            params: { path: { accountId }, query: q },
                        }, o),
                    add: (accountId, body, o) =>
                        call(api.addMemberRecord, api.addMemberRecordOperation, { ...path({ accountId }), body }, o),
                    setPoints: (recordId, body, o) =>
                        call(api.updateMemberRecordPoints, api.updateMemberRecordPointsOperation, {
                            ...path({ recordId }),
                            body,
                        }, o),
                    setReason: (recordId, body, o) =>
                        call(api.updateMemberRecordReason, api.updateMemberRecordReasonOperation, {
                            ...path({ recordId }),
                            body,
                        }, o),
                    setStatus: (recordId, body, o) =>
                        call(api.updateMemberRecordStatus, api.updateMemberRecordStatusOperation, {
                            ...path({ recordId }),
                            body,
                        }, o),
                },
            },
            erlc: {
                players: {
                    online: (q, o) => call(api.getOnlinePlayers, api.getOnlinePlayersOperation, query(q), o),
                    queue: (q, o) => call(api.getPlayerQueue, api.getPlayerQueueOperation, query(q), o),
                },
                records: {
                    add: (body, o) => call(api.addErlcRecord, api.addErlcRecordOperation, { body }, o),
                },
                commands: {
                    execute: (body, o) => call(api.executeErlcCommand, api.executeErlcCommandOperation, { body }, o),
                },
                teams: {
                    lock: (body, o) => call(api.lockTeam, api.lockTeamOperation, { body }, o),
                    unlock: (body, o) => call(api.unlockTeam, api.unlockTeamOperation, { body }, o),
                },
            },
            sessions: {
                current: (q, o) => call(api.getCurrentSession, api.getCurrentSessionOperation, query(q), o),
                start: (body, o) => call(api.startSession, api.startSessionOperation, { body }, o),
                stop: (body, o) => call(api.stopSession, api.stopSessionOperation, { body }, o),
                cancel: (body, o) =>
                    call(api.cancelSession, api.cancelSessionOperation, { body }, o) as Promise<
                        CmsResult<undefined, undefined>
                    >,
            },
            raw: client.raw,
        } satisfies SonoranCmsClient,
    );
}

/**
 * Runs one operation and unwraps its envelope. The runtime queues the call under the
 * endpoint's limit and retries what is safe to repeat; on top of that, a 429 is retried
 * for any operation (the gateway refuses it before the CMS sees it, so nothing ran) when
 * its `Retry-After` is within `retry.maxRetryAfterMs`.
 */
function caller(client: ApiClient<paths>) {
    const settings = settingsOf(client);
    return async (
        wrapper: Wrapper,
        spec: OperationSpec,
        init: object,
        options: CallOptions = {},
    ): Promise<CmsResult<any>> => {
        const policy = retryPolicy(settings.retry, options.retry);
        for (let attempt = 1;; attempt++) {
            const result = await wrapper(client, init, options);
            const error = result.error;
            const waitMs = error?.kind === "rate-limited" && !spec.idempotent ? error.retryAfterMs : undefined;
            if (waitMs === undefined || attempt >= policy.maxAttempts || waitMs > policy.maxRetryAfterMs) {
                return unwrap(result, settings.redactor);
            }
            settings.logger?.({
                type: "retry",
                attempt,
                method: spec.method.toUpperCase(),
                url: result.response?.url ?? spec.path,
                delayMs: waitMs,
                reason: "HTTP 429",
            });
            try {
                await sleep(waitMs, options.signal);
            } catch {
                return {
                    data: undefined,
                    meta: undefined,
                    error: { kind: "aborted", message: "The call was aborted by its signal" },
                    response: result.response,
                };
            }
        }
    };
}

/** `{ data, meta }` out of the v2 envelope; a 2xx body that is not one is `invalid-response`. */
function unwrap<Data>(result: OperationResult<unknown>, redactor: Redactor): CmsResult<Data> {
    if (result.error) {
        return { data: undefined, meta: undefined, error: result.error as SonoranCmsError, response: result.response };
    }
    const { response } = result;
    if (result.data === undefined && (response.status === 204 || response.status === 205)) {
        return { data: undefined as Data, meta: undefined as never, error: undefined, response };
    }
    const body = result.data as Record<string, unknown> | undefined;
    if (body !== null && typeof body === "object" && body.success === true && "data" in body && isMeta(body.meta)) {
        return { data: body.data as Data, meta: body.meta, error: undefined, response };
    }
    const { text, truncated } = redactor.cut(
        typeof body === "string" ? body : (JSON.stringify(body) ?? ""),
        MAX_RAW_TEXT,
    );
    const error: SonoranCmsError = {
        kind: "invalid-response",
        status: response.status,
        message: `HTTP ${response.status}: the body is not the v2 success envelope { success: true, data, meta }`,
        body: text,
        truncated,
    };
    return { data: undefined, meta: undefined, error, response };
}

function isMeta(value: unknown): value is Schemas["ResponseMeta"] {
    return value !== null && typeof value === "object" && typeof (value as Record<string, unknown>).path === "string";
}

/** A paged listing over `skip` (see `Paginated`). */
function paginate<Page, Item>(
    fetchPage: (skip: number) => Promise<CmsResult<Page>>,
    read: (page: Page) => { items: readonly Item[]; total: number | undefined },
    start = 0,
): Paginated<Page, Item> {
    // Like any call, the listing starts at once; walking it reuses this first page.
    const first = fetchPage(start);
    async function* pages(): AsyncGenerator<CmsResult<Page>> {
        let skip = start;
        for (let result = await first;; result = await fetchPage(skip)) {
            yield result;
            if (result.error) return;
            const { items, total } = read(result.data);
            skip += items.length;
            if (items.length === 0 || (total !== undefined && skip >= total)) return;
        }
    }
    return {
        // Awaiting the result gives the first page; it is a thenable on purpose
        then: (onFulfilled, onRejected) => first.then(onFulfilled, onRejected),
        pages,
        async *[Symbol.asyncIterator]() {
            for await (const page of pages()) {
                if (page.error) throw new SonoranCmsPageError(page.error, page.response);
                yield* read(page.data).items;
            }
        },
    };
}
