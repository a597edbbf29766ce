import type { MockDocument, SpecLocation } from "./document.js";

/** One way a request breaks its operation, and the place in the spec it breaks. */
export interface RequestProblem {
    /** What part of the request: a parameter location, the body, the credentials, or the route itself. */
    readonly in: "path" | "query" | "header" | "cookie" | "body" | "security" | "route" | "content-type";
    /** The parameter's name, for parameters. */
    readonly name?: string;
    /** JSON pointer into the value (`/data/0/account`), for bodies and structured parameters. */
    readonly at?: string;
    readonly message: string;
    /** JSON pointer of what the request breaks in the spec. */
    readonly pointer: string;
}

/** A problem as the simulator answers it: what was wrong, and where in the spec (file, line, column, pointer). */
export interface LocatedProblem extends Omit<RequestProblem, "pointer"> {
    readonly spec: SpecLocation;
}

/** The problem type of every refusal the simulator itself makes (RFC 9457 `type`). */
export const MOCK_PROBLEM_TYPE = "urn:joinkit:mock:request-does-not-match-spec";

/** The `application/problem+json` body refusing a request, with each problem located in the spec. */
export interface MockProblemBody {
    readonly type: typeof MOCK_PROBLEM_TYPE;
    readonly title: string;
    readonly status: number;
    readonly detail: string;
    /** The request, as `METHOD /path`. */
    readonly instance: string;
    /** The operation it was checked against, when one matched. */
    readonly operation?: string;
    readonly problems: readonly LocatedProblem[];
}

const TITLES: Readonly<Record<number, string>> = {
    400: "The request does not match the spec",
    401: "No credentials the operation's security accepts",
    404: "No operation in the spec has this path",
    405: "The spec gives this path no operation for this method",
    413: "The request body is larger than the simulator reads",
    415: "The spec gives the operation no such request media type",
};

/** The refusal of one request, every problem located in the spec. */
export function problemBody(
    status: number,
    instance: string,
    operation: string | undefined,
    problems: readonly RequestProblem[],
    document: MockDocument,
): MockProblemBody {
    const located = locateProblems(problems, document);
    return {
        type: MOCK_PROBLEM_TYPE,
        title: TITLES[status] ?? "The request does not match the spec",
        status,
        detail: located.map(describeProblem).join("; "),
        instance,
        ...(operation !== undefined ? { operation } : {}),
        problems: located,
    };
}

/** Each problem with its place in the spec: file, line and column of its pointer. */
export function locateProblems(problems: readonly RequestProblem[], document: MockDocument): LocatedProblem[] {
    return problems.map(({ pointer, ...rest }): LocatedProblem => ({ ...rest, spec: document.locate(pointer) }));
}

/** `query limit: must be <= 100 (got 500) (specs/api.yaml:42:11 #/paths/…/schema/maximum)` */
export function describeProblem(problem: LocatedProblem): string {
    const what = problem.in === "body"
        ? `body${problem.at ? ` ${problem.at}` : ""}`
        : problem.name !== undefined
        ? `${problem.in} ${problem.name}${problem.at ?? ""}`
        : problem.in;
    const { file, line, column, pointer } = problem.spec;
    const where = [file, line, line === undefined ? undefined : column].filter((p) => p !== undefined).join(":");
    return `${what}: ${problem.message} (${where} ${pointer})`;
}
