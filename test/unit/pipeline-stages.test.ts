import { describe, expect, it } from "vitest";
import { SpecError } from "../../codegen/core/spec-error.js";
import { createContext, rejoin, runAhead, runStage, type Stage } from "../../codegen/core/stage.js";
import { refusal } from "../support/refusal.js";

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
        expect(error.problems).toEqual([{
            file: "spec.yaml",
            rule: "parse-ish",
            message: "could not: boom",
            severity: "error",
        }]);
        // Without refuseThrown a throw is a bug, not a spec problem: it propagates as it is.
        await expect(runStage(throws(), undefined, createContext("spec.yaml"))).rejects.toThrow(/^boom$/);
    });

    describe("stages run ahead of another (runAhead, rejoin)", () => {
        const bug: Stage<number, number> = {
            name: "bug",
            run() {
                throw new TypeError("a joinkit bug");
            },
        };

        it("say nothing if the stage they ran ahead of stops the run: its problems alone are reported", async () => {
            const context = createContext("spec.yaml");
            const ahead = await runAhead(
                context,
                async (early) => runStage(fails, await runStage(warns, 1, early), early),
            );
            const error = await refusal((async () => {
                await runStage(fails, 1, context);
                return rejoin(ahead, context);
            })());
            expect(error.problems.map((p) => p.message)).toEqual(["first", "second"]);
        });

        it("report their problems after the ones found meanwhile, and stop the run if one is an error", async () => {
            const context = createContext("spec.yaml");
            const ahead = await runAhead(context, async (early) => {
                early.dependencies.add("/abs/part.yaml");
                return runStage(fails, await runStage(warns, 1, early), early);
            });
            context.problems.push({ file: "spec.yaml", rule: "lint", message: "meanwhile", severity: "warning" });
            const error = await refusal((async () => rejoin(ahead, context))());
            expect(error.problems.map((p) => p.rule)).toEqual(["lint", "w", "e1", "e2"]);
            expect(error.dependencies).toEqual(["/abs/part.yaml"]);
        });

        it("hand on their result and warnings when they passed", async () => {
            const context = createContext("spec.yaml");
            const ahead = await runAhead(context, async (early) => runStage(warns, 1, early));
            expect(context.problems).toEqual([]);
            expect(rejoin(ahead, context)).toBe(2);
            expect(context.problems.map((p) => p.rule)).toEqual(["w"]);
        });

        it("rethrow a bug only once the stages before have passed", async () => {
            const refused = createContext("spec.yaml");
            const early = await runAhead(refused, (ahead) => runStage(bug, 1, ahead));
            await runStage(warns, 1, refused);
            refused.problems.push({ file: "spec.yaml", rule: "lint", message: "refused", severity: "error" });
            expect(() => rejoin(early, refused)).toThrow(SpecError);
            const passed = createContext("spec.yaml");
            const late = await runAhead(passed, (ahead) => runStage(bug, 1, ahead));
            expect(() => rejoin(late, passed)).toThrow(/^a joinkit bug$/);
        });
    });
});
