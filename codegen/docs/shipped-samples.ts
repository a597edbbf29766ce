import { errorHandling, firstCode, fitted, importLine, initFor, narrow, type CodeSample } from "./samples.js";
import type { StatusCodes } from "./errors.js";
import { literal } from "../emit/literal.js";
import type { OperationModel } from "../model/index.js";

type Json = Record<string, any>;

/**
 * The clients this package ships for its own specs (`src/*.ts`), and which method calls
 * each operation. Only pages of this package get them (see `shippedClientSample`); the
 * samples are type-checked against the clients by the docs sample test.
 */
interface ShippedClient {
    readonly module: string;
    readonly factory: string;
    readonly options: string;
    readonly variable: string;
    readonly catalogue?: string;
    /** Operation (the wrapper's name) → the call, given the operation's generic request. */
    readonly calls: Readonly<Record<string, (init: Json) => string>>;
    /** Operations whose method is an async iterator of results (one per page). */
    readonly iterators?: ReadonlySet<string>;
}

const communityId = (init: Json) => fitted({ communityId: init.params?.path?.communityId }, 40);

const AMITY: ShippedClient = {
    module: "joinkit/amity",
    factory: "createAmityClient",
    options: '{\n    region: "eu",\n    accessToken: process.env["AMITY_ACCESS_TOKEN"]!,\n}',
    variable: "amity",
    catalogue: "AmityErrorCode",
    calls: {
        joinCommunity: (init) => `amity.joinCommunity(${communityId(init)})`,
        getMyJoinRequest: (init) => `amity.myJoinRequest(${communityId(init)})`,
        cancelJoinRequest: (init) => `amity.cancelJoinRequest(${communityId(init)})`,
        approveJoinRequest: (init) =>
            `amity.approveJoinRequests(${
                literal({ communityId: init.params?.path?.communityId, users: [init.body?.userId] }, "")
            })`,
        rejectJoinRequest: (init) =>
            `amity.rejectJoinRequests(${
                literal({ communityId: init.params?.path?.communityId, users: [init.body?.userId] }, "")
            })`,
        leaveCommunity: (init) => `amity.leave(${communityId(init)})`,
        getJoinRequests: (init) =>
            `amity.joinRequests(${literal({ communityId: init.params?.path?.communityId, status: "pending" }, "")})`,
    },
    iterators: new Set(["getJoinRequests"]),
};

const SONORAN_CAD: ShippedClient = {
    module: "joinkit/sonoran-cad",
    factory: "createSonoranCadClient",
    options:
        '{\n    communityId: "<community id>",\n    apiKey: process.env["CAD_API_KEY"]!,\n    internalKey: process.env["CAD_INTERNAL_KEY"]!,\n}',
    variable: "cad",
    catalogue: "SonoranCadError",
    calls: {
        // The one endpoint does both: `leaveCommunity` sends the same request with type LEAVE_COMMUNITY.
        joinCommunity: () => 'cad.joinCommunity({ accounts: ["<account id>"] })',
    },
};

/** Sonoran CMS: operation → method path; arguments are the path values in order, then the body or the required query. */
const CMS_METHODS: Readonly<Record<string, string>> = {
    getCommunity: "community.get",
    getSubVersion: "community.subVersion",
    lookupCommunity: "community.lookup",
    getDepartments: "community.departments",
    getProfileFields: "community.profileFields",
    getClockInTypes: "community.clockInTypes",
    getCustomLogTypes: "community.customLogTypes",
    getPromotionFlows: "promotionFlows.list",
    triggerPromotionFlows: "promotionFlows.trigger",
    undoRankChange: "rankChanges.undo",
    createShortUrl: "shortUrls.create",
    getAccounts: "accounts.list",
    searchAccounts: "accounts.search",
    getAccount: "accounts.get",
    setAccountName: "accounts.setName",
    forceSync: "accounts.sync",
    getAccountRanks: "accounts.ranks.get",
    setAccountRanks: "accounts.ranks.set",
    getAccountIdentifiers: "accounts.identifiers.list",
    registerIdentifiers: "accounts.identifiers.register",
    editProfileFields: "accounts.profileFields.set",
    clockAccount: "accounts.clock.record",
    getCurrentClockIn: "accounts.clock.current",
    getLatestActivity: "accounts.activity.latest",
    getServers: "servers.list",
    setServers: "servers.replace",
    addServers: "servers.add",
    setServerType: "servers.setType",
    getAceConfig: "servers.aceConfig.get",
    setAceConfig: "servers.aceConfig.set",
    verifyWhitelist: "servers.whitelist.check",
    getFullWhitelist: "servers.whitelist.get",
    activityTracker: "servers.activity.record",
    activityTrackerServerStart: "servers.activity.start",
    createRsvp: "events.toggleRsvp",
    changeFormStage: "forms.changeStage",
    getTemplateSubmissions: "forms.submissions.list",
    getFormSubmission: "forms.submissions.get",
    getFormLockStatus: "forms.lock.get",
    setFormLockStatus: "forms.lock.set",
    getRosterContents: "rosters.get",
    getMemberPoints: "disciplinary.points",
    getMemberRecords: "disciplinary.records.list",
    addMemberRecord: "disciplinary.records.add",
    updateMemberRecordPoints: "disciplinary.records.setPoints",
    updateMemberRecordReason: "disciplinary.records.setReason",
    updateMemberRecordStatus: "disciplinary.records.setStatus",
    getOnlinePlayers: "erlc.players.online",
    getPlayerQueue: "erlc.players.queue",
    addErlcRecord: "erlc.records.add",
    executeErlcCommand: "erlc.commands.execute",
    lockTeam: "erlc.teams.lock",
    unlockTeam: "erlc.teams.unlock",
    getCurrentSession: "sessions.current",
    startSession: "sessions.start",
    stopSession: "sessions.stop",
    cancelSession: "sessions.cancel",
};
// Methods that fill the body in themselves from the path.
const CMS_BODY_FROM_PATH = new Set(["forceSync"]);
// Queries whose parameters are each optional, but one of which the method needs.
const CMS_ONE_OF_QUERY: Readonly<Record<string, Json>> = {
    lookupCommunity: { id: "CMS-1000" },
    searchAccounts: { username: "<username>" },
};

const SONORAN_CMS: ShippedClient = {
    module: "joinkit/sonoran-cms",
    factory: "createSonoranCmsClient",
    options: '{ apiKey: process.env["CMS_API_KEY"]! }',
    variable: "cms",
    calls: Object.fromEntries(
        Object.entries(CMS_METHODS).map(([operation, method]) => [
            operation,
            (init: Json) => {
                const args = Object.values((init.params?.path ?? {}) as Json).map((value) => literal(value, ""));
                if (init.body !== undefined && !CMS_BODY_FROM_PATH.has(operation)) args.push(literal(init.body, ""));
                else if (init.params?.query !== undefined || CMS_ONE_OF_QUERY[operation]) {
                    args.push(literal(init.params?.query ?? CMS_ONE_OF_QUERY[operation], ""));
                }
                return `cms.${method}(${args.join(", ")})`;
            },
        ]),
    ),
};

/** By spec name: the specs this package ships a client for. */
const SHIPPED: Readonly<Record<string, ShippedClient>> = {
    "amity-social-cloud": AMITY,
    "sonoran-cad": SONORAN_CAD,
    "sonoran-cms": SONORAN_CMS,
};

/**
 * The sample with the shipped client for `op`, when this package ships one for the spec
 * (`shipped` is false for any other project, whose `amity-social-cloud.yaml` is its own).
 */
export function shippedClientSample(
    specName: string,
    op: OperationModel,
    codes: readonly StatusCodes[],
    document: Json,
    shipped: boolean,
): CodeSample | undefined {
    const client = shipped ? SHIPPED[specName] : undefined;
    const call = client?.calls[op.name];
    if (!client || !call) return undefined;
    const code = client.catalogue ? firstCode(codes) : undefined;
    const imports = [client.factory, ...(code ? [code.catalogue] : [])].sort((a, b) => a.localeCompare(b));
    const lines = [
        importLine(imports, client.module),
        "",
        `const ${client.variable} = ${client.factory}(${client.options});`,
        "",
        ...(client.iterators?.has(op.name)
            ? [
                `for await (const { data, error } of ${call(initFor(op, document) ?? {})}) {`,
                ...errorHandling(op, code, "    ").slice(1),
                "}",
            ]
            : [`const { data, error } = await ${call(initFor(op, document) ?? {})};`, ...errorHandling(op, code)]),
    ];
    return { lang: "TypeScript", label: client.factory, source: narrow(lines) };
}

/** Which spec names have a shipped client (for tests). */
export const SHIPPED_SPECS: readonly string[] = Object.keys(SHIPPED);
