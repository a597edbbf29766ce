/**
 * Seeded randomness for generated data: the same seed and key give the same numbers on
 * every machine and run, so the same request gets the same bytes (no Math.random, no clock).
 */
export interface Random {
    /** A float in [0, 1). */
    next(): number;
    /** An integer in [min, max] (both included). */
    int(min: number, max: number): number;
    pick<T>(items: readonly T[]): T;
    /** `length` lower-case hex digits. */
    hex(length: number): string;
}

/** A generator for one answer: seeded by the server's seed and what is being generated (operation, status, media type). */
export function seededRandom(seed: string | number, key: string): Random {
    let state = fnv1a(`${seed}\u0000${key}`);
    // mulberry32: small, fast and well spread for test data (not for secrets).
    const next = () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
    return {
        next,
        int,
        pick: (items) => items[int(0, items.length - 1)]!,
        hex: (length) => Array.from({ length }, () => int(0, 15).toString(16)).join(""),
    };
}

/** FNV-1a, 32 bits: a seed from any text. */
export function fnv1a(text: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
    }
    return hash >>> 0;
}

/** Hex digits derived from text: stable IDs that look like a vendor's (`5f1f3c1e…`). */
export function hexFrom(text: string, length: number): string {
    let out = "";
    for (let i = 0; out.length < length; i++) out += fnv1a(`${i}\u0000${text}`).toString(16).padStart(8, "0");
    return out.slice(0, length);
}
