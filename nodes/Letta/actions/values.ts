/** Parameter values as users give them, turned into what Letta takes. */

/**
 * Tags as a user gives them: a list from an expression, or text separated by commas
 * (`policy, refunds`). Blank entries and repeats are dropped.
 */
export function parseTags(value: unknown): string[] {
	const entries = Array.isArray(value)
		? value.map((entry) => String(entry))
		: typeof value === 'string'
			? value.split(',')
			: [];
	return [...new Set(entries.map((entry) => entry.trim()).filter((entry) => entry.length > 0))];
}

/** A date-time parameter as an ISO 8601 UTC time; empty is undefined. */
export function toIsoTime(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return new Date(String(value)).toISOString();
}
