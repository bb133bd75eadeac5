import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

import { executionNode, runsAsTool } from './executionNode';
import { compileItemFieldMapping, type ItemFieldMapping } from './itemFieldMapping';

/**
 * n8n resolves a parameter anew every time it is read for an item (it copies it, builds the
 * expression context, runs the expression in its sandbox and checks the result against the
 * node's schema), which over many items costs more than the mapping itself. Two shortcuts,
 * each giving what n8n would give:
 * - a parameter that holds no expression has the same value for every item: it is resolved
 *   once per execution, for the first item that reads it (the value is shared: never change it);
 * - a parameter that is only a field of the item (`{{ $json.text }}`, what n8n's editor writes
 *   when a field is dragged in; also inside a resource locator) is read from the item; when that
 *   field is missing or not text, number or true/false, n8n resolves it as usual.
 */
interface ExecutionCache {
	resolved: Map<string, unknown>;
	mappings: Map<string, ItemFieldMapping | undefined>;
}

const cacheByExecution = new WeakMap<IExecuteFunctions, ExecutionCache>();

function cacheOf(context: IExecuteFunctions): ExecutionCache {
	let cache = cacheByExecution.get(context);
	if (!cache) {
		cache = { resolved: new Map(), mappings: new Map() };
		cacheByExecution.set(context, cache);
	}
	return cache;
}

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** The parameter as saved in the workflow (a dotted path reaches into a collection). */
function savedValue(context: IExecuteFunctions, name: string): unknown {
	let value: unknown = executionNode(context).parameters;
	for (const key of name.split('.')) {
		if (!value || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/**
 * Only where n8n would hand the value back unchanged: a top-level parameter (none of this
 * package's sets `validateType`, the check n8n would add), no value extraction, and not as an AI
 * Agent's tool (its parameters come from the model, and one item is no load).
 */
function mayReadFromItem(
	context: IExecuteFunctions,
	name: string,
	options?: IGetNodeParameterOptions,
): boolean {
	return (
		!runsAsTool(context) &&
		!name.includes('.') &&
		options?.extractValue !== true &&
		options?.ensureType === undefined &&
		options?.rawExpressions !== true &&
		options?.contextNode === undefined
	);
}

/** `getNodeParameter` for one item, without n8n's per-item work where the answer is known. */
export function readItemParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
): unknown {
	const cache = cacheOf(context);
	const key = options ? `${name} ${JSON.stringify(options)}` : name;
	if (!cache.mappings.has(key)) {
		const saved = savedValue(context, name);
		const mapping = mayReadFromItem(context, name, options)
			? compileItemFieldMapping(saved)
			: undefined;
		cache.mappings.set(key, mapping);
		if (!mapping && !holdsExpression(saved)) {
			cache.resolved.set(key, context.getNodeParameter(name, itemIndex, fallback, options));
		}
	}
	if (cache.resolved.has(key)) return cache.resolved.get(key);
	const fromItem = cache.mappings.get(key)?.(context.getInputData()[itemIndex]?.json);
	if (fromItem !== undefined) return fromItem;
	return context.getNodeParameter(name, itemIndex, fallback, options) as unknown;
}
