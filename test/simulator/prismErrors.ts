/**
 * Prism's own 422 (`application/problem+json`, `validation: [{location, code, message}]`)
 * rewritten into the pydantic error list Letta's custom_request_validation_handler answers
 * with (letta/server/rest_api/app.py at 56ba9c255). The body itself comes from
 * `requestValidationBody` in lettaErrors.ts, the simulator's builder, so its shape is defined once.
 *
 * Prism validates with ajv and reports every branch of an `anyOf`; pydantic reports one error
 * per location (the first failing constraint) and treats a nullable field as its inner type.
 * So the `anyOf` summaries and the `must be null` of nullable fields are dropped, and only the
 * first entry for a location is kept. Union members are not named in `loc` (pydantic adds the
 * member's tag; Prism does not say which branch an item came from).
 */
import { requestValidationBody, type ValidationIssue } from './lettaErrors';

export interface PrismValidationItem {
	location: string[];
	severity?: string;
	code: string;
	message: string;
}

/** What the front knows about the refused request, to fill pydantic's `input`. */
export interface RefusedRequest {
	/** The parsed JSON body, undefined when there was none or it was not JSON. */
	body: unknown;
	query: URLSearchParams;
	/** Path parameters by name, as the spec's path template names them. */
	pathParams: Record<string, string>;
}

/** PrimitiveType values (letta/schemas/enums.py): the keys of PATH_VALIDATORS. */
const PATH_PRIMITIVES = new Set([
	'agent',
	'message',
	'run',
	'job',
	'group',
	'block',
	'file',
	'source',
	'tool',
	'archive',
	'passage',
	'provider',
	'model',
	'sandbox',
	'step',
	'identity',
	'conv',
	'mcp_server',
	'mcp-oauth',
	'file_agent',
	'sandbox-env',
	'agent-env',
	'user',
	'org',
	'tool_rule',
]);

/** The UUID every Letta path example uses (app.py custom_request_validation_handler). */
const EXAMPLE_UUID = '123e4567-e89b-42d3-8456-426614174000';

export function isPrismValidationBody(
	body: unknown,
): body is { status: number; validation: PrismValidationItem[] } {
	if (typeof body !== 'object' || body === null) return false;
	const { validation } = body as { validation?: unknown };
	return (
		Array.isArray(validation) &&
		validation.every(
			(item: unknown) =>
				typeof item === 'object' &&
				item !== null &&
				Array.isArray((item as PrismValidationItem).location) &&
				typeof (item as PrismValidationItem).code === 'string' &&
				typeof (item as PrismValidationItem).message === 'string',
		)
	);
}

/** pydantic's `'a', 'b' or 'c'` (the `expected` of an enum error). */
function pyExpected(values: string[]): string {
	const quoted = values.map((value) => `'${value}'`);
	return quoted.length <= 1
		? quoted.join('')
		: `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function child(value: unknown, key: string | number): unknown {
	if (Array.isArray(value) && typeof key === 'number') return value[key];
	if (typeof value === 'object' && value !== null && !Array.isArray(value))
		return (value as Record<string, unknown>)[String(key)];
	return undefined;
}

function inputAt(request: RefusedRequest, loc: Array<string | number>): unknown {
	const [where, name, ...rest] = loc;
	if (where === 'body') {
		let value: unknown = request.body;
		for (const key of loc.slice(1)) value = child(value, key);
		return value;
	}
	if (typeof name !== 'string') return undefined;
	if (where === 'path') return request.pathParams[name];
	if (where === 'query') {
		const values = request.query.getAll(name);
		if (values.length === 0) return undefined;
		if (rest.length === 1 && typeof rest[0] === 'number') return values[rest[0]];
		return values.length === 1 ? values[0] : values;
	}
	if (where === 'header') return undefined;
	return undefined;
}

const SCALAR_TYPES: Record<string, { type: string; msg: string; parsing?: [string, string] }> = {
	integer: {
		type: 'int_type',
		msg: 'Input should be a valid integer',
		parsing: [
			'int_parsing',
			'Input should be a valid integer, unable to parse string as an integer',
		],
	},
	number: {
		type: 'float_type',
		msg: 'Input should be a valid number',
		parsing: [
			'float_parsing',
			'Input should be a valid number, unable to parse string as a number',
		],
	},
	boolean: {
		type: 'bool_type',
		msg: 'Input should be a valid boolean',
		parsing: ['bool_parsing', 'Input should be a valid boolean, unable to interpret input'],
	},
	string: { type: 'string_type', msg: 'Input should be a valid string' },
	array: { type: 'list_type', msg: 'Input should be a valid list' },
	object: {
		type: 'model_attributes_type',
		msg: 'Input should be a valid dictionary or object to extract fields from',
	},
};

/** One Prism item as the pydantic error FastAPI would list, or null for ajv-only noise. */
function issueFor(item: PrismValidationItem, request: RefusedRequest): ValidationIssue | null {
	const base: Array<string | number> = item.location.map((part) =>
		/^\d+$/.test(part) ? Number(part) : part,
	);
	const input = (loc: Array<string | number>): unknown => inputAt(request, loc);
	const { code, message } = item;
	if (code === 'anyOf' || code === 'oneOf' || /must be null$/.test(message)) return null;

	const required = /must have required property '([^']+)'/.exec(message);
	if (code === 'required') {
		const loc = required ? [...base, required[1]] : base;
		return {
			type: 'missing',
			loc,
			msg: 'Field required',
			input: required ? input(base) : undefined,
		};
	}
	const extra = /must NOT have additional properties; found '([^']+)'/.exec(message);
	if (code === 'additionalProperties' && extra) {
		const loc = [...base, extra[1]];
		return {
			type: 'extra_forbidden',
			loc,
			msg: 'Extra inputs are not permitted',
			input: input(loc),
		};
	}
	const value = input(base);
	const typed = /must be (integer|number|boolean|string|array|object)$/.exec(message);
	if (code === 'type' && typed) {
		const scalar = SCALAR_TYPES[typed[1]];
		const [type, msg] =
			scalar.parsing && typeof value === 'string' ? scalar.parsing : [scalar.type, scalar.msg];
		return { type, loc: base, msg, input: value };
	}
	const allowed = /must be equal to one of the allowed values: (.*)$/.exec(message);
	if (code === 'enum' && allowed) {
		const expected = pyExpected(allowed[1].split(', '));
		return {
			type: 'enum',
			loc: base,
			msg: `Input should be ${expected}`,
			input: value,
			ctx: { expected },
		};
	}
	const length = /must NOT have (fewer|more) than (\d+) (characters|items)/.exec(message);
	if ((code === 'minLength' || code === 'maxLength' || /Items$/.test(code)) && length) {
		const limit = Number(length[2]);
		const fewer = length[1] === 'fewer';
		const plural = limit === 1 ? '' : 's';
		if (length[3] === 'characters')
			return {
				type: fewer ? 'string_too_short' : 'string_too_long',
				loc: base,
				msg: `String should have ${fewer ? 'at least' : 'at most'} ${limit} character${plural}`,
				input: value,
				ctx: fewer ? { min_length: limit } : { max_length: limit },
			};
		const actual = Array.isArray(value) ? value.length : 0;
		return {
			type: fewer ? 'too_short' : 'too_long',
			loc: base,
			msg: `List should have ${fewer ? 'at least' : 'at most'} ${limit} item${plural} after validation, not ${actual}`,
			input: value,
			ctx: {
				field_type: 'List',
				[fewer ? 'min_length' : 'max_length']: limit,
				actual_length: actual,
			},
		};
	}
	const pattern = /must match pattern "(.*)"$/.exec(message);
	if (code === 'pattern' && pattern)
		return {
			type: 'string_pattern_mismatch',
			loc: base,
			msg: `String should match pattern '${pattern[1]}'`,
			input: value,
			ctx: { pattern: pattern[1] },
		};
	const bound = /must be (>=|<=|>|<) (-?[\d.e+-]+)$/.exec(message);
	if (bound) {
		const limit = Number(bound[2]);
		const [type, words, key] = {
			'>=': ['greater_than_equal', 'greater than or equal to', 'ge'],
			'>': ['greater_than', 'greater than', 'gt'],
			'<=': ['less_than_equal', 'less than or equal to', 'le'],
			'<': ['less_than', 'less than', 'lt'],
		}[bound[1] as '>=' | '>' | '<=' | '<'];
		return {
			type,
			loc: base,
			msg: `Input should be ${words} ${limit}`,
			input: value,
			ctx: { [key]: limit },
		};
	}
	// Anything else (Prism's `deprecated` warning, say): its own words, under its own code.
	return {
		type: code,
		loc: base,
		msg: message.replace(/^Request \S+ (parameter|property) /, ''),
		input: value,
	};
}

/**
 * Letta's rewrite of a malformed `<primitive>_id` path parameter: one pattern message and an
 * example id in the top-level `examples`.
 */
function rewritePathId(issue: ValidationIssue, examples: string[]): ValidationIssue {
	const [where, name] = issue.loc;
	if (issue.loc.length !== 2 || where !== 'path' || typeof name !== 'string') return issue;
	if (!['string_pattern_mismatch', 'string_too_short', 'string_too_long'].includes(issue.type))
		return issue;
	if (!name.endsWith('_id')) return issue;
	const primitive = name.slice(0, -3);
	if (!PATH_PRIMITIVES.has(primitive)) return issue;
	examples.push(`${primitive}-${EXAMPLE_UUID}`);
	const pattern = `^${primitive}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`;
	return {
		...issue,
		type: 'string_pattern_mismatch',
		msg: `String should match pattern '${primitive}-{uuid4}'`,
		ctx: issue.type === 'string_pattern_mismatch' ? issue.ctx : { pattern },
	};
}

/** Prism's validation items as the body Letta answers a RequestValidationError with. */
export function lettaBodyForPrismValidation(
	items: PrismValidationItem[],
	request: RefusedRequest,
): Record<string, unknown> {
	const seen = new Set<string>();
	const issues: ValidationIssue[] = [];
	const examples: string[] = [];
	for (const item of items) {
		const issue = issueFor(item, request);
		if (!issue) continue;
		const key = JSON.stringify(issue.loc);
		if (seen.has(key)) continue;
		seen.add(key);
		issues.push(rewritePathId(issue, examples));
	}
	return requestValidationBody(issues, examples);
}
