import type { Random } from "./random.js";

type Node =
    | { readonly kind: "text"; readonly chars: string }
    | { readonly kind: "class"; readonly ranges: readonly (readonly [number, number])[]; readonly negated: boolean }
    | { readonly kind: "group"; readonly alternatives: readonly Node[][] }
    | { readonly kind: "repeat"; readonly node: Node; readonly min: number; readonly max: number };

const DIGIT: [number, number][] = [[48, 57]];
const WORD: [number, number][] = [[48, 57], [65, 90], [95, 95], [97, 122]];
const SPACE: [number, number][] = [[32, 32]];
// What a negated class or `.` draws from: printable ASCII.
const PRINTABLE: [number, number] = [33, 126];

/**
 * A string matching a `pattern`, for the common regular expressions specs write: literals,
 * classes and escapes (`[A-Z0-9_-]`, `\d`, `\w`, `.`), groups with alternation, and
 * quantifiers. Lookarounds and back-references are beyond it: `undefined`, and the caller
 * says it could not satisfy the pattern. The caller checks the result with the real RegExp.
 */
export function sampleRegex(source: string, random: Random): string | undefined {
    try {
        const parser = new Parser(source);
        const root = parser.alternatives();
        if (!parser.done()) return undefined;
        return generate({ kind: "group", alternatives: root }, random);
    } catch {
        return undefined;
    }
}

class Parser {
    private index = 0;

    constructor(private readonly source: string) {}

    done(): boolean {
        return this.index >= this.source.length;
    }

    alternatives(): Node[][] {
        const options: Node[][] = [this.sequence()];
        while (this.source[this.index] === "|") {
            this.index++;
            options.push(this.sequence());
        }
        return options;
    }

    private sequence(): Node[] {
        const nodes: Node[] = [];
        while (!this.done() && this.source[this.index] !== "|" && this.source[this.index] !== ")") {
            const atom = this.atom();
            if (atom) nodes.push(this.quantified(atom));
        }
        return nodes;
    }

    private atom(): Node | undefined {
        const char = this.source[this.index++]!;
        switch (char) {
            case "^":
            case "$":
                return undefined;
            case ".":
                return { kind: "class", ranges: [PRINTABLE], negated: false };
            case "(": {
                if (this.source[this.index] === "?") {
                    const next = this.source[this.index + 1];
                    if (next === ":") this.index += 2;
                    else if (next === "<" && /[A-Za-z]/.test(this.source[this.index + 2] ?? "")) {
                        this.index = this.source.indexOf(">", this.index) + 1;
                    } else throw new Error("lookaround");
                }
                const alternatives = this.alternatives();
                if (this.source[this.index++] !== ")") throw new Error("unclosed group");
                return { kind: "group", alternatives };
            }
            case "[":
                return this.characterClass();
            case "\\":
                return this.escape();
            default:
                return { kind: "text", chars: char };
        }
    }

    private escape(): Node {
        const char = this.source[this.index++];
        if (char === undefined) throw new Error("trailing backslash");
        const set = classEscape(char);
        if (set) return { kind: "class", ranges: set.ranges, negated: set.negated };
        if (/[1-9]/.test(char)) throw new Error("back-reference");
        if (char === "b" || char === "B") return { kind: "text", chars: "" };
        if (char === "u" && /^[0-9A-Fa-f]{4}/.test(this.source.slice(this.index))) {
            const code = Number.parseInt(this.source.slice(this.index, this.index + 4), 16);
            this.index += 4;
            return { kind: "text", chars: String.fromCharCode(code) };
        }
        const controls: Record<string, string> = { n: "\n", r: "\r", t: "\t", f: "\f", v: "\v", "0": "\0" };
        return { kind: "text", chars: controls[char] ?? char };
    }

    private characterClass(): Node {
        const negated = this.source[this.index] === "^";
        if (negated) this.index++;
        const ranges: [number, number][] = [];
        let first = true;
        while (this.source[this.index] !== "]" || first) {
            first = false;
            if (this.done()) throw new Error("unclosed class");
            let char = this.source[this.index++]!;
            if (char === "\\") {
                const escaped = this.source[this.index++]!;
                const set = classEscape(escaped);
                if (set) {
                    if (set.negated) throw new Error("negated escape in a class");
                    ranges.push(...set.ranges);
                    continue;
                }
                const controls: Record<string, string> = { n: "\n", r: "\r", t: "\t" };
                char = controls[escaped] ?? escaped;
            }
            const low = char.codePointAt(0)!;
            if (
                this.source[this.index] === "-" && this.source[this.index + 1] !== "]"
                && this.index + 1 < this.source.length
            ) {
                this.index++;
                let end = this.source[this.index++]!;
                if (end === "\\") end = this.source[this.index++]!;
                ranges.push([low, end.codePointAt(0)!]);
            } else ranges.push([low, low]);
        }
        this.index++;
        return { kind: "class", ranges, negated };
    }

    private quantified(node: Node): Node {
        const char = this.source[this.index];
        let min: number;
        let max: number;
        if (char === "*" || char === "+" || char === "?") {
            this.index++;
            [min, max] = char === "*" ? [0, 3] : char === "+" ? [1, 3] : [0, 1];
        } else if (char === "{") {
            const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.index));
            if (!match) return node;
            this.index += match[0].length;
            min = Number(match[1]);
            max = match[2] === undefined ? min : match[3] === "" ? min + 3 : Number(match[3]);
        } else return node;
        if (this.source[this.index] === "?") this.index++; // lazy: same strings
        return { kind: "repeat", node, min, max };
    }
}

function classEscape(char: string): { ranges: [number, number][]; negated: boolean } | undefined {
    switch (char) {
        case "d":
            return { ranges: DIGIT, negated: false };
        case "D":
            return { ranges: DIGIT, negated: true };
        case "w":
            return { ranges: WORD, negated: false };
        case "W":
            return { ranges: WORD, negated: true };
        case "s":
            return { ranges: SPACE, negated: false };
        case "S":
            return { ranges: SPACE, negated: true };
        default:
            return undefined;
    }
}

function generate(node: Node, random: Random): string {
    switch (node.kind) {
        case "text":
            return node.chars;
        case "group":
            return random.pick(node.alternatives).map((n) => generate(n, random)).join("");
        case "repeat": {
            let text = "";
            for (let i = random.int(node.min, Math.max(node.min, node.max)); i > 0; i--) {
                text += generate(node.node, random);
            }
            return text;
        }
        case "class": {
            if (!node.negated) {
                const [low, high] = random.pick(node.ranges);
                return String.fromCodePoint(random.int(low, Math.max(low, high)));
            }
            for (let tries = 0; tries < 50; tries++) {
                const code = random.int(PRINTABLE[0], PRINTABLE[1]);
                if (!node.ranges.some(([low, high]) => code >= low && code <= high)) return String.fromCharCode(code);
            }
            throw new Error("no character outside the class");
        }
    }
}
