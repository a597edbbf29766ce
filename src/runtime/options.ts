import type { RateLimitRule } from "./contract.js";
import type { RetryPolicy } from "./retry.js";

/**
 * Checks one option's value; returns a description of what is wrong, or undefined.
 * `undefined` values never reach a check: they mean "the default".
 */
type Check = (value: unknown) => string | undefined;

const positiveMs: Check = (v) =>
    typeof v === "number" && v > 0 && (Number.isFinite(v) || v === Infinity)
        ? undefined
        : "must be a positive number of milliseconds (or Infinity)";
const finiteNonNegative: Check = (
    v,
) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? undefined : "must be a finite number ≥ 0");
const integerAtLeast = (min: number): Check => (v) =>
    typeof v === "number" && Number.isSafeInteger(v) && v >= min ? undefined : `must be a whole number ≥ ${min}`;
const positiveFinite: Check = (
    v,
) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? undefined : "must be a finite number > 0");
const fn: Check = (v) => (typeof v === "function" ? undefined : "must be a function");

const RETRY_CHECKS: Record<keyof RetryPolicy, Check> = {
    maxAttempts: integerAtLeast(1),
    baseDelayMs: finiteNonNegative,
    maxDelayMs: finiteNonNegative,
    maxRetryAfterMs: finiteNonNegative,
    isFinal: fn,
};

const RULE_CHECKS: Record<keyof RateLimitRule, Check> = {
    requests: positiveFinite,
    perSeconds: positiveFinite,
    burst: integerAtLeast(1),
    maxInFlight: integerAtLeast(1),
};

/** Problems with a `retry` value, each as [path, problem]. */
function checkRetry(value: unknown, path: string): [string, string][] {
    if (value === false) return [];
    if (!isPlainObject(value)) return [[path, "must be false or an object such as { maxAttempts: 3 }"]];
    return checkFields(value, RETRY_CHECKS, path);
}

export function checkRateLimitRule(value: unknown, path: string): [string, string][] {
    if (!isPlainObject(value)) return [[path, "must be an object such as { requests: 1, perSeconds: 1 }"]];
    const problems = checkFields(value, RULE_CHECKS, path);
    for (const required of ["requests", "perSeconds"] as const) {
        if (value[required] === undefined) problems.push([`${path}.${required}`, "is required"]);
    }
    return problems;
}

function checkFields(value: Record<string, unknown>, checks: Record<string, Check>, path: string): [string, string][] {
    const problems: [string, string][] = [];
    for (const [key, item] of Object.entries(value)) {
        const check = checks[key];
        if (!check) problems.push([`${path}.${key}`, `is not an option; expected ${Object.keys(checks).join(", ")}`]);
        else if (item !== undefined) {
            const problem = check(item);
            if (problem) problems.push([`${path}.${key}`, problem]);
        }
    }
    return problems;
}

/** Checks for the options both the client and each call take. */
export const BEHAVIOUR_CHECKS: Record<string, (value: unknown, path: string) => [string, string][]> = {
    timeoutMs: (v, p) => single(p, positiveMs(v)),
    retry: checkRetry,
};

export const CLIENT_CHECKS: Record<string, (value: unknown, path: string) => [string, string][]> = {
    ...BEHAVIOUR_CHECKS,
    baseUrl: (v, p) => single(p, checkBaseUrl(v)),
    fetch: (v, p) => single(p, fn(v)),
    headers: (v, p) =>
        single(
            p,
            v instanceof Headers || Array.isArray(v) || isPlainObject(v)
                ? undefined
                : "must be a Headers, an array of pairs or an object",
        ),
    middleware: (v, p) =>
        single(
            p,
            Array.isArray(v) && v.every((m) =>
                    m === undefined
                    || (m !== null && typeof m === "object"
                        && ("onRequest" in m || "onResponse" in m || "onError" in m))
                )
                ? undefined
                : "must be an array of middleware objects (with onRequest, onResponse or onError)",
        ),
    secrets: (v, p) =>
        single(
            p,
            Array.isArray(v) && v.every((s) => typeof s === "string") ? undefined : "must be an array of strings",
        ),
    rateLimit: (v, p) => {
        if (typeof v === "boolean") return [];
        if (!isPlainObject(v)) return [[p, "must be true, false or { key?, limit? }"]];
        const problems: [string, string][] = [];
        for (const [key, item] of Object.entries(v)) {
            if (item === undefined) continue;
            if (key === "key") {
                if (typeof item !== "string" || item === "") problems.push([`${p}.key`, "must be a non-empty string"]);
            } else if (key === "limit") problems.push(...checkRateLimitRule(item, `${p}.limit`));
            else problems.push([`${p}.${key}`, "is not an option; expected key, limit"]);
        }
        return problems;
    },
    logger: (v, p) => single(p, fn(v)),
    maxBodyBytes: (v, p) => single(p, integerAtLeast(1)(v)),
    maxRedirects: (v, p) => single(p, integerAtLeast(0)(v)),
};

export const CALL_CHECKS: Record<string, (value: unknown, path: string) => [string, string][]> = {
    ...BEHAVIOUR_CHECKS,
    signal: (v, p) => single(p, isAbortSignal(v) ? undefined : "must be an AbortSignal"),
};

/** Every problem with an options object, as [path, problem], checked against `checks`. */
export function optionProblems(
    options: unknown,
    checks: Record<string, (value: unknown, path: string) => [string, string][]>,
    prefix: string,
): [string, string][] {
    if (options === undefined) return [];
    if (!isPlainObject(options)) return [[prefix, "must be an object"]];
    const problems: [string, string][] = [];
    for (const [key, value] of Object.entries(options)) {
        const check = checks[key];
        if (!check) {
            problems.push([`${prefix}.${key}`, `is not an option; expected one of ${Object.keys(checks).join(", ")}`]);
        } else if (value !== undefined) problems.push(...check(value, `${prefix}.${key}`));
    }
    return problems;
}

export function single(path: string, problem: string | undefined): [string, string][] {
    return problem ? [[path, problem]] : [];
}

function checkBaseUrl(value: unknown): string | undefined {
    if (typeof value !== "string") return "must be a string";
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return "must be an absolute http(s) URL, such as https://api.example.com";
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
    if (url.username !== "" || url.password !== "") {
        return "must not hold a user name or password; pass credentials as options";
    }
    if (url.search !== "" || url.hash !== "") return "must not have a query or fragment";
    return undefined;
}

function isAbortSignal(value: unknown): value is AbortSignal {
    return (
        value instanceof AbortSignal
        || (value !== null && typeof value === "object" && typeof (value as AbortSignal).aborted === "boolean"
            && typeof (value as AbortSignal).addEventListener === "function")
    );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

/** `{ ...base, ...override }` where an `undefined` in the override means "keep the base". */
export function withDefaults<T extends object>(base: T, override: Partial<T> | undefined): T {
    if (!override) return base;
    const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(override)) if (value !== undefined) merged[key] = value;
    return merged as T;
}
