import { followLocalRefs } from "../spec/json-pointer.js";
import type { ApiModel, CatalogueModel, OperationModel } from "../model/index.js";

type ErrorDecoderModel = OperationModel["errors"][number];

type Json = Record<string, any>;
type Member = CatalogueModel["members"][number];

/** The error codes one response status of one operation can carry. */
export interface StatusCodes {
    readonly status: string;
    readonly catalogue: CatalogueModel;
    readonly field?: string;
    /** In the catalogue's order. */
    readonly members: readonly Member[];
    /**
     * Whether the spec says which codes come with this status (the catalogue belongs to
     * this status alone, or the response's examples and description name its codes).
     * When it does not, `members` is the whole catalogue.
     */
    readonly declared: boolean;
}

/**
 * Which of its catalogue's codes each error response of `op` declares. A catalogue used at
 * one status only is that status's; a catalogue shared by several statuses (one `code`
 * enum for the whole API) is narrowed to the codes the response names: the `code` (or the
 * whole body, for an enum body) of its examples, and the catalogue values its description
 * quotes as code spans (`` `400300` ``).
 */
export function codesByStatus(document: Json, model: ApiModel, op: OperationModel): StatusCodes[] {
    const statusesOf = statusesPerCatalogue(model);
    const byName = new Map(model.catalogues.map((c) => [c.name, c]));
    return op.errors.map((decoder) => {
        const catalogue = byName.get(decoder.catalogue)!;
        if ((statusesOf.get(catalogue.name)?.size ?? 0) <= 1) {
            return { ...base(decoder, catalogue), members: catalogue.members, declared: true };
        }
        const response = responseOf(document, op, decoder.status);
        const named = namedValues(response, decoder);
        const members = catalogue.members.filter((m) => named.has(String(m.value)));
        return members.length > 0
            ? { ...base(decoder, catalogue), members, declared: true }
            : { ...base(decoder, catalogue), members: catalogue.members, declared: false };
    });
}

function base(decoder: ErrorDecoderModel, catalogue: CatalogueModel) {
    return { status: decoder.status, catalogue, ...(decoder.field !== undefined ? { field: decoder.field } : {}) };
}

function statusesPerCatalogue(model: ApiModel): Map<string, Set<string>> {
    const statuses = new Map<string, Set<string>>();
    for (const op of model.operations) {
        for (const decoder of op.errors) {
            const set = statuses.get(decoder.catalogue) ?? new Set<string>();
            set.add(decoder.status.toUpperCase());
            statuses.set(decoder.catalogue, set);
        }
    }
    return statuses;
}

/** The response object at `status`, its `$ref` followed (internal refs only). */
function responseOf(document: Json, op: OperationModel, status: string): Json | undefined {
    return followLocalRefs<Json>(document, document.paths?.[op.path]?.[op.method]?.responses?.[status]);
}

function namedValues(response: Json | undefined, decoder: ErrorDecoderModel): Set<string> {
    const named = new Set<string>();
    if (!response) return named;
    for (const media of Object.values(response.content ?? {}) as Json[]) {
        const examples = [
            media?.example,
            ...Object.values((media?.examples ?? {}) as Json).map((e) => (e as Json)?.value),
        ];
        for (const example of examples) {
            const value = decoder.field !== undefined ? (example as Json | undefined)?.[decoder.field] : example;
            if (typeof value === "string" || typeof value === "number") named.add(String(value));
        }
    }
    if (typeof response.description === "string") {
        for (const match of response.description.matchAll(/`([^`\n]+)`/g)) {
            named.add(match[1]!.trim().replace(/^"(.*)"$/, "$1"));
        }
    }
    return named;
}

/**
 * The docs' copy of `document` with each error response of each operation showing its own
 * codes once: the response (inlined, since a shared response or schema serves several
 * statuses) gets a table of the codes at its status, and its catalogue field loses the
 * enum the table now lists.
 */
export function withErrorTables(document: Json, model: ApiModel): Json {
    const doc = structuredClone(document);
    for (const op of model.operations) {
        const responses = doc.paths?.[op.path]?.[op.method]?.responses as Json | undefined;
        if (!responses) continue;
        // Read from the untouched document: inlining below replaces the `$ref`s.
        for (const codes of codesByStatus(document, model, op)) {
            const original = responseOf(document, op, codes.status);
            if (!original) continue;
            const response = structuredClone(original);
            response.description = joinMarkdown(response.description, codesTable(codes));
            for (const media of Object.values(response.content ?? {}) as Json[]) {
                if (media && typeof media === "object") media.schema = withoutListedEnum(document, media.schema, codes);
            }
            responses[codes.status] = response;
        }
    }
    return doc;
}

/** The media schema with the catalogue (the body itself, or its `field`) as a plain value the table describes. */
function withoutListedEnum(document: Json, schema: unknown, codes: StatusCodes): unknown {
    const resolved = followLocalRefs<Json>(document, schema);
    if (!resolved) return schema;
    const plain = (enumSchema: Json) => {
        const {
            enum: _values,
            "x-enum-varnames": _names,
            "x-enumNames": _n,
            "x-enum-descriptions": _d,
            "x-enumDescriptions": _e,
            ...rest
        } = enumSchema;
        return {
            ...rest,
            title: codes.catalogue.name,
            description: joinMarkdown(
                rest.description,
                `At this status: one of the \`${codes.catalogue.name}\` values in the table above.`,
            ),
        };
    };
    if (codes.field === undefined) return Array.isArray(resolved.enum) ? plain(resolved) : schema;
    const field = followLocalRefs<Json>(document, resolved.properties?.[codes.field]);
    if (!field || !Array.isArray(field.enum)) return schema;
    return { ...resolved, properties: { ...resolved.properties, [codes.field]: plain(field) } };
}

/** Value, then enum member and meaning: the value column never wraps (see the page's style). */
function codesTable(codes: StatusCodes): string {
    const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
    const rows = codes.members.map(
        (m) =>
            `| \`${cell(JSON.stringify(m.value))}\` | \`${codes.catalogue.name}.${m.name}\`${
                m.description ? ` ${cell(m.description)}` : ""
            } |`,
    );
    const title = codes.declared
        ? `**Error codes at ${codes.status}** (\`${codes.catalogue.name}\`)`
        : `**Error codes at ${codes.status}**: the spec does not say which \`${codes.catalogue.name}\` values come with this status; any of them may`;
    return [title, "", `| ${codes.field ?? "Value"} | Enum member and meaning |`, "|---|---|", ...rows].join("\n");
}

export function joinMarkdown(existing: unknown, addition: string): string {
    return typeof existing === "string" && existing.trim() !== "" ? `${existing.trimEnd()}\n\n${addition}` : addition;
}
