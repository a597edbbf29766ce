import { isIdempotentMethod, type RateLimitRule } from "joinkit/runtime";
import { asObject, type ReadContext } from "./context.js";

/** `x-idempotent`: whether an operation is safe to repeat; without it, whether its method is. */
export function readIdempotent(value: unknown, method: string, pointer: string, { warn }: ReadContext): boolean {
    if (typeof value === "boolean") return value;
    if (value !== undefined) {
        warn(pointer, "x-idempotent", `expected true or false; ${method.toUpperCase()}'s default applies`);
    }
    return isIdempotentMethod(method);
}

/** `x-rate-limit`: the client-side limit the runtime keeps; malformed, it is ignored with a warning. */
export function readRateLimit(value: unknown, pointer: string, { warn }: ReadContext): RateLimitRule | undefined {
    if (value === undefined) return undefined;
    const { requests, perSeconds, burst, maxInFlight } = asObject(value);
    const positive = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n > 0;
    const count = (n: unknown) => n === undefined || (typeof n === "number" && Number.isSafeInteger(n) && n >= 1);
    if (positive(requests) && positive(perSeconds) && count(burst) && count(maxInFlight)) {
        return {
            requests: requests as number,
            perSeconds: perSeconds as number,
            ...(burst !== undefined ? { burst: burst as number } : {}),
            ...(maxInFlight !== undefined ? { maxInFlight: maxInFlight as number } : {}),
        };
    }
    warn(
        pointer,
        "x-rate-limit",
        "expected { requests, perSeconds: <positive number>, burst?, maxInFlight?: <whole number ≥ 1> }; ignored",
    );
    return undefined;
}
