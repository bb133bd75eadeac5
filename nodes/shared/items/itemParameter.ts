import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

/**
 * n8n resolves a parameter anew every time it is read for an item (it copies it, builds the
 * expression context and checks it against the node's schema), which over many items costs
 * more than the mapping itself. A parameter that holds no expression has the same value for
 * every item: it is resolved once per execution, for the first item that reads it. The value
 * handed out is shared by the items: read it, never change it.
 */
const resolvedByExecution = new WeakMap<IExecuteFunctions, Map<string, unknown>>();

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/** The parameter as saved in the workflow (a dotted path reaches into a collection). */
function savedValue(context: IExecuteFunctions, name: string): unknown {
	let value: unknown = context.getNode().parameters;
	for (const key of name.split('.')) {
		if (!value || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** `getNodeParameter` for one item, resolved once per execution when no expression is in it. */
export function readItemParameter(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
): unknown {
	if (holdsExpression(savedValue(context, name))) {
		return context.getNodeParameter(name, itemIndex, fallback, options) as unknown;
	}
	let resolved = resolvedByExecution.get(context);
	if (!resolved) {
		resolved = new Map();
		resolvedByExecution.set(context, resolved);
	}
	const key = options ? `${name} ${JSON.stringify(options)}` : name;
	if (!resolved.has(key)) {
		resolved.set(key, context.getNodeParameter(name, itemIndex, fallback, options) as unknown);
	}
	return resolved.get(key);
}
