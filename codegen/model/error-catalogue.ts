import { unescapePointer } from "../spec/json-pointer.js";
import { NameScope, toIdentifier } from "./naming.js";
import { nonEmptyString, type Json, type ReadContext } from "./context.js";

/** An enum of error codes the spec declares: emitted once, however many responses use it. */
export interface CatalogueModel {
    readonly name: string;
    readonly description?: string;
    /** Where in the document the enum is declared. */
    readonly pointer: string;
    readonly members: readonly { name: string; value: string | number; description?: string }[];
}

/** The error catalogues of one document, by the pointer of the enum that declares each. */
export class Catalogues {
    private readonly byPointer = new Map<string, CatalogueModel>();

    constructor(private readonly context: ReadContext) {}

    /** The catalogue declared by the enum at `pointer`, read on first use; undefined when no member is usable. */
    at(pointer: string, schema: Json, fallbackName: string): CatalogueModel | undefined {
        const existing = this.byPointer.get(pointer);
        if (existing) return existing;
        const members = readMembers(schema, pointer, this.context);
        if (members.length === 0) return undefined;
        const catalogue: CatalogueModel = {
            name: this.context.scope.claim(
                toIdentifier(componentCatalogueName(pointer) ?? fallbackName, "pascal", "ErrorCode"),
            ),
            description: typeof schema.description === "string" ? schema.description : undefined,
            pointer,
            members,
        };
        this.byPointer.set(pointer, catalogue);
        return catalogue;
    }

    get(pointer: string): CatalogueModel | undefined {
        return this.byPointer.get(pointer);
    }

    all(): CatalogueModel[] {
        return [...this.byPointer.values()];
    }
}

/**
 * A catalogue declared in a component is named after the component, whichever operation
 * meets it first: `Error` → `ErrorCode` for `#/components/schemas/Error/properties/code`,
 * `NotFound` → `NotFoundErrorCode` for a shared response's code. Undefined elsewhere.
 */
function componentCatalogueName(pointer: string): string | undefined {
    const [, kind, rawName, rest] = /^#\/components\/(schemas|responses)\/([^/]+)(\/.*)?$/.exec(pointer) ?? [];
    if (!kind || !rawName) return undefined;
    const name = unescapePointer(rawName);
    if (kind === "schemas" && rest === undefined) return name;
    const suffix = kind === "schemas" ? "Code" : "ErrorCode";
    return /code$/i.test(name) ? name : `${name} ${suffix}`;
}

/** Members named by `x-enum-varnames` (or `x-enumNames`), else from their values; described by `x-enum-descriptions`. */
function readMembers(schema: Json, pointer: string, { warn }: ReadContext): CatalogueModel["members"][number][] {
    const values = schema.enum as unknown[];
    const names = schema["x-enum-varnames"] ?? schema["x-enumNames"];
    const descriptions = schema["x-enum-descriptions"] ?? schema["x-enumDescriptions"];
    const scope = new NameScope();
    const members: { name: string; value: string | number; description?: string }[] = [];
    values.forEach((value, index) => {
        if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) {
            warn(
                `${pointer}/enum/${index}`,
                "enum-value",
                `${JSON.stringify(value)} cannot be a TypeScript enum value; left out of the enum`,
            );
            return;
        }
        const given = Array.isArray(names) && typeof names[index] === "string" ? (names[index] as string) : undefined;
        const derived = typeof value === "number"
            ? `Code ${String(value).replace("-", "minus ").replace(".", "_")}`
            : value;
        const name = scope.claim(toIdentifier(given ?? derived, "pascal", "Empty"));
        members.push({ name, value, description: describeMember(descriptions, index, value) });
    });
    return members;
}

function describeMember(descriptions: unknown, index: number, value: string | number): string | undefined {
    if (Array.isArray(descriptions)) return nonEmptyString(descriptions[index]);
    if (descriptions && typeof descriptions === "object") return nonEmptyString((descriptions as Json)[String(value)]);
    return undefined;
}
