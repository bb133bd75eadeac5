import type { IDataObject } from 'n8n-workflow';

/**
 * A parameter that is only a field of the item, as n8n's editor writes it when a field is
 * dragged in: `={{ $json.text }}`, `={{ $json.customer.name }}`, `={{ $json["agent id"] }}`,
 * `={{ $json.list[0] }}`, alone or as the value of a resource locator. Given the item's JSON it
 * gives what n8n's expression would give, or `undefined` when only n8n can say (the field is
 * missing, or holds an object, a list or null), and the caller lets n8n resolve it.
 */
export type ItemFieldMapping = (json: IDataObject | undefined) => unknown;

const WHOLE_FIELD_EXPRESSION =
	/^=\{\{\s*\$json((?:\s*(?:\.\s*[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*'|\d+)\s*\]))+)\s*\}\}$/;
const PATH_STEP = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)'|(\d+))\s*\]/g;
/** n8n refuses `.constructor` in expressions; these never name a field of an item. */
const NOT_FIELDS = new Set(['constructor', '__proto__', 'prototype']);

function fieldPath(expression: string): string[] | undefined {
	const match = WHOLE_FIELD_EXPRESSION.exec(expression);
	if (!match) return undefined;
	const path = [...match[1].matchAll(PATH_STEP)].map(
		(step) => step[1] ?? step[2] ?? step[3] ?? step[4],
	);
	return path.some((key) => NOT_FIELDS.has(key)) ? undefined : path;
}

/** The field's value when it is text, a number or true/false (n8n hands those back as they are). */
function readField(json: unknown, path: string[]): string | number | boolean | undefined {
	let value = json;
	for (const key of path) {
		if (
			value === null ||
			typeof value !== 'object' ||
			!Object.prototype.hasOwnProperty.call(value, key)
		)
			return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
		? value
		: undefined;
}

function isResourceLocator(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && (value as IDataObject).__rl === true;
}

/** The mapping a saved parameter value is, if it is one (see above); else undefined. */
export function compileItemFieldMapping(saved: unknown): ItemFieldMapping | undefined {
	if (typeof saved === 'string') {
		const path = fieldPath(saved);
		return path && ((json) => readField(json, path));
	}
	if (!isResourceLocator(saved) || typeof saved.value !== 'string') return undefined;
	const path = fieldPath(saved.value);
	const othersArePlain = Object.entries(saved).every(
		([key, value]) =>
			key === 'value' ||
			value === null ||
			['number', 'boolean'].includes(typeof value) ||
			(typeof value === 'string' && !value.startsWith('=')),
	);
	if (!path || !othersArePlain) return undefined;
	return (json) => {
		const value = readField(json, path);
		return value === undefined ? undefined : { ...saved, value };
	};
}
