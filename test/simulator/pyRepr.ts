/**
 * Python's repr() of JSON-like values: Letta puts `repr(errors)` of a pydantic error list
 * and `'{list}'` of tool call ids into its error texts, so clients meet Python syntax there.
 */

/** A Python tuple: pydantic's `loc` is one, and repr() writes it with parentheses. */
export class PyTuple {
	constructor(readonly items: readonly unknown[]) {}
}

/** Text that is already a Python repr (an exception object in pydantic's `ctx`). */
export class PyRaw {
	constructor(readonly repr: string) {}
}

/** repr() of a str: single quotes unless the text has a single quote and no double quote. */
function reprString(text: string): string {
	const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
	let body = '';
	for (const char of text) {
		if (char === '\\') body += '\\\\';
		else if (char === quote) body += `\\${quote}`;
		else if (char === '\n') body += '\\n';
		else if (char === '\r') body += '\\r';
		else if (char === '\t') body += '\\t';
		else if (char < ' ' || char === '\x7f')
			body += `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
		else body += char;
	}
	return `${quote}${body}${quote}`;
}

export function pyRepr(value: unknown): string {
	if (value === null || value === undefined) return 'None';
	if (value === true) return 'True';
	if (value === false) return 'False';
	if (typeof value === 'string') return reprString(value);
	if (typeof value === 'number') return String(value);
	if (value instanceof PyRaw) return value.repr;
	if (value instanceof PyTuple) {
		const items = value.items.map(pyRepr);
		return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
	}
	if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).map(
			([key, entry]) => `${reprString(key)}: ${pyRepr(entry)}`,
		);
		return `{${entries.join(', ')}}`;
	}
	return reprString(String(value));
}
