import { existsSync, realpathSync } from "node:fs";
import path from "node:path";

/**
 * The project joinkit works for: the nearest folder at or above `cwd` holding a
 * `package.json`, else `cwd` itself. Everything joinkit reads on its own (specs' `$ref`s,
 * `redocly.yaml`) must be inside it, and it is never an output folder.
 */
export function findProjectRoot(cwd: string): string {
    const start = path.resolve(cwd);
    for (let dir = start;; dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) return start;
    }
}

/** Whether a `$ref` or file name is a URL (`https:`, `file:`), not a path (`C:\…` is a path). */
export function isUrl(ref: string): boolean {
    return /^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref);
}

/** Whether `child` is `parent` or lies beneath it (paths compared as given). */
export function isWithin(child: string, parent: string): boolean {
    const relative = path.relative(parent, child);
    return relative === ""
        || (!relative.startsWith(`..${path.sep}`) && relative !== ".." && !path.isAbsolute(relative));
}

/**
 * The real location of a path with every symbolic link resolved. For a path that does not
 * exist yet, the nearest existing ancestor is resolved and the rest appended, so a link
 * anywhere on the way is still followed.
 */
export function realLocation(file: string): string {
    const absolute = path.resolve(file);
    try {
        return realpathSync.native(absolute);
    } catch {
        const parent = path.dirname(absolute);
        return parent === absolute ? absolute : path.join(realLocation(parent), path.basename(absolute));
    }
}

/**
 * Where a spec may read from. A spec inside the project may reach anything in the project;
 * a document from elsewhere (`--spec` outside the project) only its own folder.
 */
export interface Confinement {
    /** The project root (real path). */
    readonly project: string;
    /** The folder `$ref`s must stay in (real path). */
    readonly root: string;
    /** Whether the spec lies inside the project: only then is a config looked up for it. */
    readonly trusted: boolean;
}

export function confinementFor(specFile: string, cwd = process.cwd()): Confinement {
    const project = realLocation(findProjectRoot(cwd));
    const spec = realLocation(specFile);
    const trusted = isWithin(spec, project);
    return { project, root: trusted ? project : path.dirname(spec), trusted };
}
