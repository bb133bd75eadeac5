/**
 * A reader of the `flatted` format, in which n8n's REST API returns run data
 * (`GET /rest/executions/{id}` -> `data.data`). flatted writes a JSON array: entry 0 is the
 * root, and inside every object or array of the array each string is the index (as text) of
 * the entry that holds the value; top-level string entries are the strings themselves. Shared
 * and circular references come back as the same object.
 *
 * Own code rather than a dependency: the format is small, and n8n's copy of `flatted` lives in
 * its own install, not in this package.
 */
export function parseFlatted(text: string): unknown {
	const entries: unknown = JSON.parse(text);
	if (!Array.isArray(entries)) throw new Error('Not flatted data: the JSON is not an array');
	if (entries.length === 0) return undefined;
	const revived = new Set<object>();
	const pending: object[] = [];
	const resolve = (reference: string): unknown => {
		const index = Number(reference);
		if (!Number.isInteger(index) || index < 0 || index >= entries.length) {
			throw new Error(`Not flatted data: reference "${reference}" points nowhere`);
		}
		const target: unknown = entries[index];
		if (typeof target === 'object' && target !== null && !revived.has(target)) {
			revived.add(target);
			pending.push(target);
		}
		return target;
	};
	const root: unknown = entries[0];
	if (typeof root !== 'object' || root === null) return root;
	revived.add(root);
	pending.push(root);
	// iterative, so deeply nested run data cannot overflow the stack
	while (pending.length > 0) {
		const container = pending.pop() as Record<string, unknown>;
		for (const key of Object.keys(container)) {
			const value = container[key];
			if (typeof value === 'string') container[key] = resolve(value);
		}
	}
	return root;
}
