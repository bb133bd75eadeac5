/**
 * The "Only If Value Is" guard: Letta has no compare-and-set for blocks, so the node reads the
 * block, compares, and only then writes. Two workflows updating one block then fail loudly
 * instead of silently overwriting each other (the window left is one read-then-write).
 */

/** How much of the current value an error shows. */
const SHOWN_CHARACTERS = 200;

/** Undefined when the block still holds the expected value; otherwise what it holds now. */
export function unexpectedBlockValue(expected: string, current: string): string | undefined {
	if (current === expected) return undefined;
	return current.length > SHOWN_CHARACTERS
		? `${current.slice(0, SHOWN_CHARACTERS)}… (${current.length} characters)`
		: current;
}
