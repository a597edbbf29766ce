import { expect } from "vitest";
import { SpecError } from "../../codegen/core/spec-error.js";

/** The SpecError a pipeline call (or stage) must refuse with; fails the test if it resolves or throws anything else. */
export async function refusal(work: Promise<unknown>): Promise<SpecError> {
    const error = await work.then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
}
