/** What the client reports to a `logger`. Never a body; headers and URLs already redacted. */
export type LogEvent =
    | {
        readonly type: "request";
        readonly attempt: number;
        readonly method: string;
        readonly url: string;
        readonly headers: Readonly<Record<string, string>>;
    }
    | {
        readonly type: "response";
        readonly attempt: number;
        readonly method: string;
        readonly url: string;
        readonly status: number;
        readonly ms: number;
    }
    | {
        readonly type: "redirect";
        readonly attempt: number;
        readonly method: string;
        readonly from: string;
        readonly to: string;
        readonly status: number;
    }
    | {
        readonly type: "retry";
        readonly attempt: number;
        readonly method: string;
        readonly url: string;
        readonly delayMs: number;
        readonly reason: string;
    }
    | { readonly type: "rate-limit-wait"; readonly method: string; readonly path: string; readonly waitedMs: number };

export type Logger = (event: LogEvent) => void;

// Headers whose values are credentials whatever they contain.
const CREDENTIAL_HEADERS = new Set([
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
]);

/** A request's headers as a plain object, credential headers masked. */
export function loggableHeaders(headers: Headers): Record<string, string> {
    const out: Record<string, string> = {};
    headers.forEach((value, name) => {
        out[name] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? maskCredential(value) : value;
    });
    return out;
}

function maskCredential(value: string): string {
    const scheme = /^(\w+)\s+\S/.exec(value)?.[1];
    return scheme ? `${scheme} [REDACTED]` : "[REDACTED]";
}
