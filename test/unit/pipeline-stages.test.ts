import { describe, expect, it } from "vitest";
import { SpecError } from "../../codegen/spec-error.js";
import { createContext, runStage, type Stage } from "../../codegen/stage.js";

async function refusal(work: Promise<unknown>): Promise<SpecError> {
    const error = await work.then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
}

describe("the stage convention", () => {
    const warns: Stage<number, number> = {
        name: "warns",
        run(input, context) {
            context.problems.push({ file: context.displayName, rule: "w", message: "odd", severity: "warning" });
            return input + 1;
        },
    };
    const fails: Stage<number, number> = {
        name: "fails",
        run(input, context) {
            context.problems.push({ file: context.displayName, rule: "e1", message: "first", severity: "error" });
            context.problems.push({ file: context.displayName, rule: "e2", message: "second", severity: "error" });
            return input + 1;
        },
    };

    it("collects warnings and goes on", async () => {
        const context = createContext("spec.yaml");
        const out = await runStage(warns, await runStage(warns, 1, context), context);
        expect(out).toBe(3);
        expect(context.problems.map((p) => p.rule)).toEqual(["w", "w"]);
    });

    it("stops at the end of the stage that found an error, with every problem found so far", async () => {
        const context = createContext("spec.yaml");
        context.dependencies.add("/abs/spec.yaml");
        const ran: string[] = [];
        const next: Stage<number, number> = { name: "next", run: (n) => (ran.push("next"), n) };
        const error = await refusal(
            (async () => {
                const a = await runStage(warns, 1, context);
                const b = await runStage(fails, a, context);
                return runStage(next, b, context);
            })(),
        );
        expect(ran).toEqual([]);
        expect(error.problems.map((p) => p.rule)).toEqual(["w", "e1", "e2"]);
        expect(error.dependencies).toEqual(["/abs/spec.yaml"]);
    });

    it("turns a library's throw into a located problem only where the stage says so", async () => {
        const context = createContext("spec.yaml");
        const throws = (refuseThrown?: (m: string) => string): Stage<void, void> => ({
            name: "parse-ish",
            refuseThrown,
            run() {
                throw new Error("boom");
            },
        });
        const error = await refusal(runStage(throws((m) => `could not: ${m}`), undefined, context));
        expect(error.problems).toEqual([{ file: "spec.yaml", rule: "parse-ish", message: "could not: boom", severity: "error" }]);
        // Without refuseThrown a throw is a bug, not a spec problem: it propagates as it is.
        await expect(runStage(throws(), undefined, createContext("spec.yaml"))).rejects.toThrow(/^boom$/);
    });
});
