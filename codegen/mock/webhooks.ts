import { isJsonMediaType, mediaKind } from "joinkit/runtime";
import { escapePointer } from "../spec/json-pointer.js";
import { asObject, type Json } from "../model/context.js";
import type { MockDocument } from "./document.js";
import { seededRandom } from "./random.js";
import { serialize } from "./responses.js";
import type { SchemaChecker } from "./schema-object.js";
import type { SchemaSampler } from "./schema-sample.js";

/** How one event is sent to the integrator's endpoint. */
export interface WebhookOptions {
    /** The body to send (JSON for JSON media types). Default: the spec's example, else data generated from its schema. */
    readonly payload?: unknown;
    /** A named example of the webhook's request body, instead of the first. */
    readonly example?: string;
    /** The body when the spec describes no such webhook (a vendor's documented shape). */
    readonly fallback?: () => unknown;
    /** Changes a body taken from the spec (its example or generated data) before it is checked and sent: a vendor's key in place of a placeholder. */
    readonly adjust?: (payload: unknown) => unknown;
    /** Extra headers. */
    readonly headers?: Readonly<Record<string, string>>;
    /** Headers made from the raw body as sent: the vendor's signature. */
    readonly sign?: (body: Buffer) => Readonly<Record<string, string>>;
    /** Gives up after this long (default 10 s). */
    readonly timeoutMs?: number;
}

/** One delivery: what was sent, and the receiver's answer (or why there was none). */
export interface WebhookDelivery {
    readonly request: {
        readonly url: string;
        readonly method: string;
        readonly headers: Readonly<Record<string, string>>;
        readonly body: Buffer;
    };
    readonly status?: number;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
    /** Set when no answer came: the connection failed or the time ran out. */
    readonly error?: string;
}

/** A webhook request the simulator cannot make (an unknown event without a body, a body that breaks the spec): thrown before anything is sent. */
export class WebhookError extends Error {}

/**
 * Sends events **to** the integrator's endpoint, as a vendor would, so their receiver can be
 * tested: the body comes from the spec's `webhooks` (OpenAPI 3.1) when it describes the
 * event (the given payload is checked against it; otherwise its example or generated
 * data), else from the caller or the vendor's documented shape; a vendor's signing adds
 * its headers from the exact bytes sent. Resolves with the receiver's answer; never rejects
 * for a failed delivery (`error` says why).
 */
export class WebhookSender {
    constructor(
        private readonly document: MockDocument,
        private readonly checker: SchemaChecker,
        private readonly sampler: SchemaSampler,
        private readonly seed: string | number,
    ) {}

    /** The names of the spec's webhooks. */
    names(): string[] {
        return Object.keys(asObject(this.document.parsed.webhooks));
    }

    async send(target: string, name: string, options: WebhookOptions = {}): Promise<WebhookDelivery> {
        let url: URL;
        try {
            url = new URL(target);
        } catch {
            throw new WebhookError(`webhook target ${JSON.stringify(target)} is not a URL`);
        }
        if (url.protocol !== "http:" && url.protocol !== "https:") {
            throw new WebhookError(`webhook target ${url.href} is not http(s)`);
        }
        const described = this.described(name);
        let method = "POST";
        let mediaType = "application/json";
        let payload: unknown;
        if (described) {
            method = described.method.toUpperCase();
            mediaType = described.mediaType ?? mediaType;
            payload = options.payload ?? this.payloadFromSpec(name, described, options.example);
            if (options.payload === undefined && options.adjust) payload = options.adjust(payload);
            if (described.schema !== undefined && !Buffer.isBuffer(payload)) {
                const problems = this.checker.check(described.schema, described.schemaPointer, payload, "request");
                if (problems.length > 0) {
                    throw new WebhookError(
                        `webhook ${name}: the payload does not match ${described.schemaPointer}: ${
                            problems.slice(0, 3).map((p) => `${p.at || "(body)"} ${p.message}`).join("; ")
                        }`,
                    );
                }
            }
        } else {
            payload = options.payload ?? options.fallback?.();
            if (payload === undefined) {
                throw new WebhookError(
                    `the spec describes no webhook ${JSON.stringify(name)} (it has ${
                        this.names().map((n) => JSON.stringify(n)).join(", ") || "none"
                    }); pass a payload`,
                );
            }
        }
        const body = serialize(payload, mediaType);
        const headers: Record<string, string> = {
            "content-type": mediaType,
            "user-agent": "joinkit-mock",
            ...lower(options.headers ?? {}),
            ...lower(options.sign?.(body) ?? {}),
        };
        const request = { url: url.href, method, headers, body };
        try {
            const response = await fetch(url, {
                method,
                headers,
                body: new Uint8Array(body),
                redirect: "manual",
                signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
            });
            const answered: Record<string, string> = {};
            response.headers.forEach((value, key) => (answered[key] = value));
            return { request, status: response.status, headers: answered, body: await response.text() };
        } catch (error) {
            const cause = (error as { cause?: { code?: string } }).cause?.code;
            return {
                request,
                error: `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause})` : ""}`,
            };
        }
    }

    /** The webhook's operation in the spec: its method, request body media type and schema. */
    private described(name: string):
        | { method: string; mediaType?: string; media: Json; schema: unknown; schemaPointer: string; pointer: string }
        | undefined
    {
        const webhooks = asObject(this.document.parsed.webhooks);
        if (!Object.hasOwn(webhooks, name)) return undefined;
        const itemPointer = `#/webhooks/${escapePointer(name)}`;
        const item = asObject(this.document.deref(webhooks[name], itemPointer).value);
        const method = ["post", "put", "patch", "get", "delete"].find((m) => item[m] !== undefined) ?? "post";
        const opPointer = `${itemPointer}/${method}`;
        const body = this.document.deref(asObject(item[method]).requestBody, `${opPointer}/requestBody`);
        const content = Object.entries(asObject(asObject(body.value).content));
        const [mediaType, media] = content.find(([type]) => isJsonMediaType(type)) ?? content[0] ?? [];
        const pointer = mediaType === undefined ? opPointer : `${body.pointer}/content/${escapePointer(mediaType)}`;
        return {
            method,
            mediaType,
            media: asObject(media),
            schema: asObject(media).schema,
            schemaPointer: `${pointer}/schema`,
            pointer,
        };
    }

    private payloadFromSpec(
        name: string,
        described: NonNullable<ReturnType<WebhookSender["described"]>>,
        example?: string,
    ): unknown {
        const examples = Object.entries(asObject(described.media.examples));
        if (example !== undefined) {
            const found = examples.find(([n]) => n === example);
            if (!found) {
                throw new WebhookError(
                    `webhook ${name} has no example ${JSON.stringify(example)}; it has ${
                        examples.map(([n]) => JSON.stringify(n)).join(", ") || "none"
                    }`,
                );
            }
            return asObject(
                this.document.deref(found[1], `${described.pointer}/examples/${escapePointer(example)}`).value,
            ).value;
        }
        const first = examples[0];
        if (first) {
            return asObject(
                this.document.deref(first[1], `${described.pointer}/examples/${escapePointer(first[0])}`).value,
            ).value;
        }
        if ("example" in described.media) return described.media.example;
        if (described.schema === undefined) return mediaKind(described.mediaType) === "json" ? {} : "";
        return this.sampler.sample(
            described.schema,
            described.schemaPointer,
            "request",
            seededRandom(this.seed, `webhook ${name}`),
        ).value;
    }
}

function lower(headers: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
