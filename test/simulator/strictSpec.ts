/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * Derives the strict copy of Letta's spec that the Prism validator enforces: every object
 * schema reachable from a request body that lists `properties` without saying anything
 * about `additionalProperties` gets `additionalProperties: false`, so a misspelled field
 * (`max_step`) is refused with 422 instead of being silently ignored like the real server does.
 *
 * One change goes the other way, for query parameters only: FastAPI writes an optional list
 * parameter as `anyOf: [{type: array, items}, {type: null}]`. Prism only turns a query value
 * into an array when the schema itself says `type: array`, so it kept `?tags=ops` a string and
 * refused it (422), while Letta accepts one value as a one-element list. Such parameters are
 * rewritten to `type: array` with the same items (`style: form, explode: true`: the key
 * repeats), so one or more values pass and a value outside `items` is still refused.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type JsonObject = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** Bump when the transformation changes, so cached copies are rebuilt. */
const TRANSFORM_VERSION = 4;

export const SOURCE_SPEC_PATH = resolve(__dirname, 'letta-openapi.json');
export const CACHE_DIR = resolve(__dirname, '..', '..', '.cache', 'letta-simulator');

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function isObject(value: JsonValue | undefined): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface StrictSpecStats {
	/** Object schemas that got additionalProperties: false. */
	closedSchemas: number;
	/** Objects left open because they are allOf members (closing them would reject everything). */
	skippedAllOfMembers: number;
	/** Query parameters whose nullable-array schema became a plain array. */
	arrayQueryParameters: number;
	/** 422 responses re-documented as Letta really sends them. */
	validationResponses: number;
}

/**
 * Letta's 422 as its server writes it (app.py custom_request_validation_handler, and every
 * HTTPException(422)): `detail` is a string (the repr of pydantic's error list, or a text),
 * never the spec's HTTPValidationError list. Without this Prism would turn each real 422
 * into a 500.
 */
const LETTA_422_SCHEMA: JsonObject = {
	type: 'object',
	required: ['detail'],
	properties: {
		trace_id: { type: 'string' },
		detail: { type: 'string' },
		examples: { type: 'array', items: { type: 'string' } },
	},
};

function redocumentValidationResponse(operation: JsonObject): boolean {
	const responses = operation.responses;
	if (!isObject(responses) || !isObject(responses['422'])) return false;
	responses['422'] = {
		description: 'Validation Error (as Letta sends it)',
		content: { 'application/json': { schema: LETTA_422_SCHEMA } },
	};
	return true;
}

/** `anyOf: [{type: array, ...}, {type: null}]` in either order: the array branch, else null. */
function nullableArrayBranch(schema: JsonValue | undefined): JsonObject | null {
	if (!isObject(schema) || !Array.isArray(schema.anyOf) || schema.anyOf.length !== 2) return null;
	const array = schema.anyOf.find((branch) => isObject(branch) && branch.type === 'array');
	const nullBranch = schema.anyOf.find((branch) => isObject(branch) && branch.type === 'null');
	return isObject(array) && nullBranch !== undefined ? array : null;
}

/**
 * Rewrites a nullable-array query parameter in place so Prism reads `?p=a` and `?p=a&p=b`
 * as arrays. Keeps the parameter's annotations (title, description, deprecated, ...).
 */
function relaxArrayQueryParameter(parameter: JsonObject): boolean {
	if (parameter.in !== 'query') return false;
	const schema = parameter.schema;
	const array = nullableArrayBranch(schema);
	if (!isObject(schema) || !array) return false;
	const relaxed: JsonObject = { ...schema, ...array, type: 'array' };
	delete relaxed.anyOf;
	parameter.schema = relaxed;
	parameter.style = 'form';
	parameter.explode = true;
	return true;
}

/** Returns a transformed deep copy; the input is not modified. */
export function makeStrictSpec(source: JsonObject): { spec: JsonObject; stats: StrictSpecStats } {
	const spec = JSON.parse(JSON.stringify(source)) as JsonObject;
	const stats: StrictSpecStats = {
		closedSchemas: 0,
		skippedAllOfMembers: 0,
		arrayQueryParameters: 0,
		validationResponses: 0,
	};
	const components = isObject(spec.components) ? spec.components : {};
	const schemas = isObject(components.schemas) ? components.schemas : {};
	const visitedRefs = new Set<string>();
	const visitedNodes = new Set<JsonObject>();

	const visit = (node: JsonValue | undefined, isAllOfMember: boolean): void => {
		if (Array.isArray(node)) {
			node.forEach((child) => visit(child, false));
			return;
		}
		if (!isObject(node) || visitedNodes.has(node)) return;
		visitedNodes.add(node);
		const ref = node.$ref;
		if (typeof ref === 'string') {
			const prefix = '#/components/schemas/';
			if (ref.startsWith(prefix) && !visitedRefs.has(ref)) {
				visitedRefs.add(ref);
				visit(schemas[ref.slice(prefix.length)], isAllOfMember);
			}
			return;
		}
		if (isObject(node.properties) && node.additionalProperties === undefined) {
			if (isAllOfMember) {
				stats.skippedAllOfMembers += 1;
			} else {
				node.additionalProperties = false;
				stats.closedSchemas += 1;
			}
		}
		if (isObject(node.properties))
			Object.values(node.properties).forEach((child) => visit(child, false));
		for (const key of [
			'items',
			'additionalProperties',
			'not',
			'prefixItems',
			'anyOf',
			'oneOf',
		] as const) {
			visit(node[key], false);
		}
		if (Array.isArray(node.allOf)) node.allOf.forEach((child) => visit(child, true));
	};

	const paths = isObject(spec.paths) ? spec.paths : {};
	const relaxParameters = (parameters: JsonValue | undefined): void => {
		if (!Array.isArray(parameters)) return;
		for (const parameter of parameters) {
			if (isObject(parameter) && relaxArrayQueryParameter(parameter))
				stats.arrayQueryParameters += 1;
		}
	};
	for (const pathItem of Object.values(paths)) {
		if (!isObject(pathItem)) continue;
		relaxParameters(pathItem.parameters);
		for (const method of HTTP_METHODS) {
			const operation = pathItem[method];
			if (!isObject(operation)) continue;
			// The simulator answers auth itself ({"detail":"Unauthorized"}, like Letta);
			// Prism's own 401 would hide what the server really says.
			delete operation.security;
			relaxParameters(operation.parameters);
			if (redocumentValidationResponse(operation)) stats.validationResponses += 1;
			const body = operation.requestBody;
			const content = isObject(body) && isObject(body.content) ? body.content : {};
			for (const media of Object.values(content)) {
				if (isObject(media)) visit(media.schema, false);
			}
		}
	}
	delete spec.security;
	return { spec, stats };
}

/**
 * Writes the strict copy into the git-ignored cache (once per source-spec version) and
 * returns its path. The write goes through a temporary file so parallel runs never read
 * a half-written spec.
 */
export function ensureStrictSpec(sourcePath = SOURCE_SPEC_PATH, cacheDir = CACHE_DIR): string {
	const sourceText = readFileSync(sourcePath, 'utf8');
	const hash = createHash('sha256')
		.update(sourceText)
		.update(`v${TRANSFORM_VERSION}`)
		.digest('hex')
		.slice(0, 16);
	const target = join(cacheDir, `letta-openapi.strict.${hash}.json`);
	if (existsSync(target)) return target;
	mkdirSync(cacheDir, { recursive: true });
	const { spec } = makeStrictSpec(JSON.parse(sourceText) as JsonObject);
	const temporary = `${target}.${process.pid}.tmp`;
	writeFileSync(temporary, JSON.stringify(spec));
	renameSync(temporary, target);
	return target;
}
