import { mediaTypeOf } from "./media-type.js";

/**
 * An error body in `application/problem+json` (RFC 9457, formerly RFC 7807): the standard
 * members, each present only when the body gives it with the right type, plus any
 * extension members exactly as sent (a vendor's `traceId`, `errors`, …).
 */
export interface ProblemDetails {
    /** A URI reference naming the kind of problem; `"about:blank"` when the body gives none. */
    readonly type: string;
    /** A short summary of the kind of problem. */
    readonly title?: string;
    /** The HTTP status the server gave for this occurrence. */
    readonly status?: number;
    /** What went wrong with this request, for a human. */
    readonly detail?: string;
    /** A URI reference naming this occurrence. */
    readonly instance?: string;
    /** Extension members, as the server sent them. */
    readonly [extension: string]: unknown;
}

/** The problem-details media type; its `+json` suffix also makes it JSON. */
export const PROBLEM_JSON = "application/problem+json";

const STANDARD = { title: "string", status: "number", detail: "string", instance: "string" } as const;

/**
 * The problem details in an error body labelled `application/problem+json`, or `undefined`
 * when it is not labelled so or is not a JSON object. Works for any API, catalogue or not:
 * it reads only the media type and the members RFC 9457 defines. A standard member of the
 * wrong type is left out, as the RFC requires; `type` defaults to `"about:blank"`.
 */
export function problemDetailsOf(contentType: string | null, body: unknown): ProblemDetails | undefined {
    if (mediaTypeOf(contentType) !== PROBLEM_JSON) return undefined;
    if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
    const members: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(body)) {
        const expected = name === "type" ? "string" : STANDARD[name as keyof typeof STANDARD];
        if (expected === undefined || typeof value === expected) members[name] = value;
    }
    if (
        typeof members.status === "number"
        && !(Number.isInteger(members.status) && members.status >= 100 && members.status <= 599)
    ) {
        delete members.status;
    }
    return { ...members, type: typeof members.type === "string" ? members.type : "about:blank" };
}

/** `title: detail` (or whichever of the two there is), for an error's message. */
export function describeProblem(problem: ProblemDetails): string | undefined {
    const parts = [problem.title, problem.detail].filter((part): part is string =>
        typeof part === "string" && part.trim() !== ""
    );
    return parts.length > 0 ? parts.join(": ") : undefined;
}
