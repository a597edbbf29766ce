import { statSync } from "node:fs";
import path from "node:path";
import { BaseResolver, ResolveError, type Document, type Source } from "@redocly/openapi-core";
import { escapePointer } from "./json-pointer.js";
import { MAX_SPEC_BYTES } from "./read.js";
import { isUrl, isWithin, realLocation } from "../core/project.js";
import { locatorsBySource } from "./locate.js";
import type { SpecProblem } from "../core/spec-error.js";

type ResolveConfig = ConstructorParameters<typeof BaseResolver>[0];

export interface RefAccess {
    /** Real path of the folder local `$ref`s must stay in. */
    readonly root: string;
    /** Follow `$ref`s to http(s) URLs (off unless the user asks). */
    readonly allowRemote: boolean;
    /** Told of every URL fetched. */
    readonly onFetch?: (url: string) => void;
}

interface Refusal {
    readonly base: string;
    readonly absolute: string;
    readonly reason: string;
    readonly rule: "ref-outside-project" | "remote-ref";
}

/**
 * Redocly's resolver, with every external document checked before it is read: local files
 * only inside the allowed folder (symbolic links resolved), URLs only when allowed (and
 * each one reported). Redocly reads every `$ref` through its resolver, so nothing reaches
 * the disk or the network before this check.
 */
export class ConfinedResolver extends BaseResolver {
    readonly refusals: Refusal[] = [];

    constructor(
        private readonly resolveConfig: ResolveConfig,
        private readonly access: RefAccess,
        /** Every external file's text, read (or fetched) once for this resolver and its forks. */
        private readonly sources = new Map<string, Promise<Source>>(),
    ) {
        super(resolveConfig);
    }

    /**
     * A resolver for bundling: Redocly bundles the documents it resolves in place, so they
     * must not be the ones lint reads. It shares this one's confinement and the files' text
     * (nothing is read or fetched twice) but parses its own copy of each.
     */
    forBundling(): ConfinedResolver {
        return new ConfinedResolver(this.resolveConfig, this.access, this.sources);
    }

    override async resolveDocument<T = unknown>(base: string | null, ref: string, isRoot = false) {
        const absolute = this.resolveExternalRef(base, ref);
        const refusal = this.check(absolute);
        if (refusal) {
            if (!this.refusals.some((r) => r.base === base && r.absolute === absolute)) {
                this.refusals.push({ base: base ?? "", absolute, ...refusal });
            }
            throw new ResolveError(new Error(refusal.reason));
        }
        return super.resolveDocument<T>(base, ref, isRoot);
    }

    override loadExternalRef(absoluteRef: string): Promise<Source> {
        let source = this.sources.get(absoluteRef);
        if (source === undefined) {
            source = this.readExternalRef(absoluteRef);
            this.sources.set(absoluteRef, source);
        }
        return source;
    }

    private async readExternalRef(absoluteRef: string): Promise<Source> {
        const refusal = this.check(absoluteRef);
        if (refusal) throw new ResolveError(new Error(refusal.reason));
        if (isUrl(absoluteRef)) this.access.onFetch?.(absoluteRef);
        else {
            const size = statSync(absoluteRef, { throwIfNoEntry: false })?.size ?? 0;
            if (size > MAX_SPEC_BYTES) {
                throw new ResolveError(
                    new Error(`${absoluteRef} is ${size} bytes; joinkit reads documents up to ${MAX_SPEC_BYTES} bytes`),
                );
            }
        }
        return super.loadExternalRef(absoluteRef);
    }

    private check(absolute: string): Omit<Refusal, "base" | "absolute"> | undefined {
        if (isUrl(absolute)) {
            if (/^https?:\/\//i.test(absolute)) {
                if (this.access.allowRemote) return undefined;
                return {
                    rule: "remote-ref",
                    reason:
                        `remote $ref to ${absolute} is not fetched; pass --allow-remote-refs (or set "allowRemoteRefs": true under "joinkit" in package.json) to fetch it`,
                };
            }
            return {
                rule: "remote-ref",
                reason: `$ref to ${
                    absolute.slice(0, 80)
                } is not followed: only relative paths and (when allowed) http(s) URLs are`,
            };
        }
        const real = realLocation(absolute);
        if (isWithin(real, this.access.root)) return undefined;
        const via = real === path.resolve(absolute) ? "" : ` (through a symbolic link, to ${real})`;
        return {
            rule: "ref-outside-project",
            reason:
                `$ref to ${absolute}${via} leads outside ${this.access.root}; joinkit reads only files inside the project (or, for a document from elsewhere, inside its own folder)`,
        };
    }
}

/**
 * Each refused `$ref`, located in the document that holds it (file, line, JSON pointer).
 * `externalValue`s are resolved by Redocly too, but never emitted or rendered: a refused
 * one is simply not read, and not reported.
 */
export async function locateRefusals(
    resolver: ConfinedResolver,
    root: Document,
    displayName: (file: string) => string,
): Promise<SpecProblem[]> {
    const problems: SpecProblem[] = [];
    const locatorFor = locatorsBySource();
    for (const refusal of resolver.refusals) {
        const holder = refusal.base === root.source.absoluteRef ? root : await documentIn(resolver, refusal.base);
        if (!holder) continue;
        const locate = locatorFor(holder.source);
        for (
            const pointer of refNodes(
                holder.parsed,
                (ref) => resolver.resolveExternalRef(refusal.base, ref) === refusal.absolute,
            )
        ) {
            let line: number | undefined;
            let column: number | undefined;
            try {
                ({ line, column } = locate(pointer));
            } catch {
                // No line for this node: the pointer still says where it is.
            }
            problems.push({
                file: displayName(refusal.base),
                line,
                column,
                pointer,
                rule: refusal.rule,
                message: refusal.reason,
                severity: "error",
            });
        }
    }
    return problems;
}

async function documentIn(resolver: BaseResolver, file: string): Promise<Document | undefined> {
    const cached = await resolver.cache.get(file)?.catch(() => undefined);
    return cached && !(cached instanceof Error) ? cached : undefined;
}

/** Pointers of `$ref`s (and discriminator mappings) whose file part matches. */
function refNodes(root: unknown, matches: (fileRef: string) => boolean): string[] {
    const found: string[] = [];
    const visit = (node: unknown, pointer: string, key: string): void => {
        if (node === null || typeof node !== "object") return;
        if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${pointer}/${i}`, String(i)));
        for (const [name, value] of Object.entries(node)) {
            const child = `${pointer}/${escapePointer(name)}`;
            const isRef = (name === "$ref" || key === "mapping") && typeof value === "string";
            if (isRef) {
                const fileRef = value.split("#")[0]!;
                if (fileRef !== "" && matches(fileRef)) found.push(name === "$ref" ? pointer : child);
            } else visit(value, child, name);
        }
    };
    visit(root, "#", "");
    return found;
}
