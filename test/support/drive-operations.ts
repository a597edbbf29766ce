import { createMockServer, type MockServer } from "../../codegen/mock/index.js";
import { readMockDocument } from "../../codegen/mock/document.js";
import { readOperations, type MockOperation } from "../../codegen/mock/operations.js";
import { seededRandom } from "../../codegen/mock/random.js";
import { SchemaChecker } from "../../codegen/mock/schema-object.js";
import { SchemaSampler } from "../../codegen/mock/schema-sample.js";
import { readModel } from "../../codegen/model/index.js";
import { callOperation, createApiClient, withCredentials, type OperationSpec } from "../../src/runtime/index.js";

/** How the simulator served one document: every operation called once through joinkit/runtime. */
export interface Coverage {
    readonly file: string;
    readonly operations: number;
    readonly served: number;
    /** Operations not served, and why: the simulator refused the runtime's request, or answered off-spec. */
    readonly failures: readonly string[];
    /** Operations whose generated request the runtime itself refused to send (the document asks for what no client can write). */
    readonly unsendable: readonly string[];
}

/**
 * Calls every operation of a document once against its simulator, the way a generated
 * client would: parameters and a body generated from the spec's own schemas (the
 * simulator's sampler, request direction), written by joinkit/runtime (its styles, media
 * types and credentials). An operation is served when the simulator accepts the request
 * (no problem recorded), answers it with a body that matches the spec (no error recorded),
 * and the runtime reads that answer as a success.
 */
export async function driveEveryOperation(file: string, seed = "coverage"): Promise<Coverage> {
    const document = await readMockDocument(file);
    const operations = readOperations(document);
    const checker = new SchemaChecker(document);
    const sampler = new SchemaSampler(document, checker);
    const model = readModel(document.parsed, file);
    const schemes = Object.fromEntries(model.securitySchemes.map((s) => [s.name, s.spec]));
    const security = Object.fromEntries(model.operations.map((o) => [`${o.method} ${o.path}`, o.security]));
    const credentials = Object.fromEntries(
        model.securitySchemes
            .filter((s) => s.spec.type !== "mutualTLS")
            .map((
                s,
            ) => [
                s.name,
                s.spec.type === "http" && s.spec.scheme === "basic"
                    ? { username: "user", password: "pass" }
                    : "token-1",
            ]),
    );
    const mock = await createMockServer(document.parsed, { displayName: file, seed });
    const client = createApiClient(
        withCredentials({ baseUrl: mock.url, retry: false, timeoutMs: 30_000 }, schemes, security, credentials),
    );
    const failures: string[] = [];
    const unsendable: string[] = [];
    try {
        for (const operation of operations) {
            const reason = await driveOne(mock, client, operation, sampler, seed);
            if (reason?.startsWith(UNSENDABLE)) unsendable.push(`${operation.id}: ${reason.slice(UNSENDABLE.length)}`);
            else if (reason) failures.push(`${operation.id}: ${reason}`);
        }
    } finally {
        await mock.close();
    }
    return {
        file,
        operations: operations.length,
        served: operations.length - failures.length - unsendable.length,
        failures,
        unsendable,
    };
}

const UNSENDABLE = "unsendable: ";

async function driveOne(
    mock: MockServer,
    client: ReturnType<typeof createApiClient>,
    operation: MockOperation,
    sampler: SchemaSampler,
    seed: string,
): Promise<string | undefined> {
    const random = seededRandom(seed, operation.id);
    const params: Record<string, Record<string, unknown>> = {};
    for (const parameter of operation.parameters) {
        const { spec } = parameter;
        // Headers the runtime sets itself are not the caller's to give.
        if (spec.in === "header" && /^(accept|content-type|authorization)$/i.test(spec.name)) continue;
        const value = sampler.sample(parameter.schema, parameter.schemaPointer, "request", random, spec.name).value;
        (params[spec.in] ??= {})[spec.name] = value;
    }
    let body: unknown;
    let contentType: string | undefined;
    const media = operation.requestBody?.content[0];
    if (media) {
        contentType = media.mediaType.includes("*") ? undefined : media.mediaType;
        const value = sampler.sample(media.media.schema, `${media.pointer}/schema`, "request", random, "body").value;
        body = /json|form|multipart/.test(media.mediaType) ? value : new Uint8Array([1, 2, 3]);
    }
    const spec: OperationSpec = { ...operation.model, errors: [] };
    const before = mock.requests.length;
    const errorsBefore = mock.errors.length;
    const result = await callOperation(
        client,
        spec,
        { params, ...(body !== undefined ? { body, contentType } : {}) } as never,
        { parseAs: "text" } as never,
    );
    const recorded = mock.requests[before];
    if (result.error?.kind === "invalid-request") return `${UNSENDABLE}${result.error.message}`;
    if (!recorded) return `nothing reached the simulator (${result.error?.kind}: ${result.error?.message})`;
    if (recorded.problems.length > 0) {
        return `refused: ${
            recorded.problems.map((p) => `${p.in} ${p.name ?? ""}${p.at ?? ""} ${p.message} (${p.spec.pointer})`).join(
                "; ",
            )
        }`;
    }
    if (mock.errors.length > errorsBefore) return `answered off-spec: ${mock.errors.slice(errorsBefore).join("; ")}`;
    // The default answer is the operation's success, or its first declared status when it declares none.
    const status = recorded.status ?? 0;
    if (status < 300 && result.error) {
        return `the runtime read the ${status} answer as ${result.error.kind}: ${result.error.message}`;
    }
    if (status >= 300 && (result.error?.kind !== "http" && result.error?.kind !== "redirect")) {
        return `the runtime read the ${status} answer as ${result.error?.kind ?? "a success"}`;
    }
    return undefined;
}
