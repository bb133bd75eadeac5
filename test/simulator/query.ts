/** Query-string readers that answer 422 like FastAPI when a value has the wrong type. */
import { validationError } from './lettaErrors';

export function queryString(query: URLSearchParams, name: string): string | null {
	const value = query.get(name);
	return value === null || value === '' ? null : value;
}

/** Array parameters repeat the key (`tags=a&tags=b`), as Letta expects. */
export function queryList(query: URLSearchParams, name: string): string[] {
	return query.getAll(name).filter((value) => value !== '');
}

export function queryInteger(
	query: URLSearchParams,
	name: string,
	fallback: number,
	minimum = 0,
): number {
	const value = queryString(query, name);
	if (value === null) return fallback;
	if (!/^-?\d+$/.test(value)) {
		throw validationError([
			{
				loc: ['query', name],
				msg: 'Input should be a valid integer, unable to parse string as an integer',
				type: 'int_parsing',
			},
		]);
	}
	const parsed = Number(value);
	if (parsed < minimum) {
		throw validationError([
			{
				loc: ['query', name],
				msg: `Input should be greater than or equal to ${minimum}`,
				type: 'greater_than_equal',
			},
		]);
	}
	return parsed;
}

export function queryBoolean(query: URLSearchParams, name: string, fallback: boolean): boolean {
	const value = queryString(query, name);
	if (value === null) return fallback;
	if (['true', '1', 'yes', 'on'].includes(value.toLowerCase())) return true;
	if (['false', '0', 'no', 'off'].includes(value.toLowerCase())) return false;
	throw validationError([
		{
			loc: ['query', name],
			msg: 'Input should be a valid boolean, unable to interpret input',
			type: 'bool_parsing',
		},
	]);
}

export function queryEnum<T extends string>(
	query: URLSearchParams,
	name: string,
	allowed: readonly T[],
	fallback: T,
): T;
export function queryEnum<T extends string>(
	query: URLSearchParams,
	name: string,
	allowed: readonly T[],
	fallback: null,
): T | null;
export function queryEnum<T extends string>(
	query: URLSearchParams,
	name: string,
	allowed: readonly T[],
	fallback: T | null,
): T | null {
	const value = queryString(query, name);
	if (value === null) return fallback;
	if (!(allowed as readonly string[]).includes(value)) {
		throw validationError([
			{
				loc: ['query', name],
				msg: `Input should be ${allowed.map((entry) => `'${entry}'`).join(', ')}`,
				type: 'enum',
			},
		]);
	}
	return value as T;
}

/**
 * Cursor pagination over an already sorted list: `after`/`before` are ids of items in that
 * order; an unknown cursor yields an empty page rather than restarting from the top.
 */
export function paginate<T extends { id: string }>(
	items: T[],
	after: string | null,
	before: string | null,
	limit: number,
): T[] {
	let page = items;
	if (after !== null) {
		const index = page.findIndex((item) => item.id === after);
		page = index === -1 ? [] : page.slice(index + 1);
	}
	if (before !== null) {
		const index = page.findIndex((item) => item.id === before);
		page = index === -1 ? [] : page.slice(0, index);
	}
	return page.slice(0, limit);
}
