/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/** The strict spec copy: which schemas get closed, and that nothing else changes. */
import { readFileSync } from 'node:fs';
import { makeStrictSpec, SOURCE_SPEC_PATH } from './strictSpec';

type Schema = {
	additionalProperties?: unknown;
	properties?: Record<string, unknown>;
	type?: string;
	anyOf?: Schema[];
	items?: unknown;
	title?: string;
	description?: string;
};

interface Parameter {
	name: string;
	in: string;
	schema?: Schema;
	style?: string;
	explode?: boolean;
}

const source = JSON.parse(readFileSync(SOURCE_SPEC_PATH, 'utf8')) as {
	security?: unknown;
	components: { schemas: Record<string, Schema> };
	paths: Record<
		string,
		Record<
			string,
			{ parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }
		>
	>;
};
const sourceText = JSON.stringify(source);
const { spec, stats } = makeStrictSpec(JSON.parse(sourceText));
const strict = spec as unknown as typeof source;
const schema = (name: string): Schema => strict.components.schemas[name];

describe('makeStrictSpec', () => {
	it('closes the request schemas whose field names the package sends', () => {
		for (const name of [
			'LettaStreamingRequest',
			'ConversationMessageRequest',
			'MessageCreate',
			'ApprovalCreate',
			'ApprovalReturn',
			'TextContent',
			'Base64Image',
		]) {
			expect(schema(name).additionalProperties).toBe(false);
		}
		const environmentBody =
			strict.paths['/v1/environments/{connectionId}/messages'].post.requestBody?.content[
				'application/json'
			].schema;
		expect(environmentBody?.additionalProperties).toBe(false);
		expect(stats.closedSchemas).toBeGreaterThan(100);
	});

	it('leaves response-only schemas and explicit additionalProperties alone', () => {
		expect(schema('LettaResponse').additionalProperties).toBeUndefined();
		expect(schema('LettaUsageStatistics').additionalProperties).toBeUndefined();
		expect(schema('AgentState').additionalProperties).toBe(false);
		expect(source.components.schemas.AgentState.additionalProperties).toBe(false);
	});

	it('drops the security requirement so the simulator answers auth itself', () => {
		expect(source.security).toBeDefined();
		expect(strict.security).toBeUndefined();
	});

	describe('nullable-array query parameters', () => {
		const parameter = (
			document: typeof source,
			path: string,
			name: string,
			method = 'get',
		): Parameter => {
			const found = document.paths[path][method].parameters?.find((p) => p.name === name);
			if (!found) throw new Error(`${method} ${path} has no parameter ${name}`);
			return found;
		};
		const isNullableArray = (schema: Schema | undefined): boolean =>
			schema?.anyOf?.length === 2 &&
			schema.anyOf.some((branch) => branch.type === 'array') &&
			schema.anyOf.some((branch) => branch.type === 'null');

		it('become plain arrays with the same items, one or more repeated keys', () => {
			for (const [path, name] of [
				['/v1/agents/', 'tags'],
				['/v1/runs/', 'agent_ids'],
				['/v1/runs/', 'statuses'],
				['/v1/agents/{agent_id}/messages', 'include_return_message_types'],
			]) {
				const before = parameter(source, path, name);
				expect(isNullableArray(before.schema)).toBe(true);
				const arrayBranch = before.schema?.anyOf?.find((branch) => branch.type === 'array');
				const after = parameter(strict, path, name);
				expect(after.schema).toMatchObject({
					type: 'array',
					items: arrayBranch?.items,
					title: before.schema?.title,
					description: before.schema?.description,
				});
				expect(after.schema?.anyOf).toBeUndefined();
				expect(after).toMatchObject({ in: 'query', style: 'form', explode: true });
			}
		});

		it('are all rewritten, and nothing else is', () => {
			let nullableArraysBefore = 0;
			for (const [path, item] of Object.entries(source.paths)) {
				for (const [method, operation] of Object.entries(item)) {
					for (const before of operation.parameters ?? []) {
						const after = parameter(strict, path, before.name, method);
						if (before.in === 'query' && isNullableArray(before.schema)) {
							nullableArraysBefore += 1;
							expect(after.schema?.type).toBe('array');
						} else {
							expect(after).toEqual(before);
						}
					}
				}
			}
			expect(stats.arrayQueryParameters).toBe(nullableArraysBefore);
			expect(nullableArraysBefore).toBeGreaterThan(30);
		});

		it('leave nullable arrays in request bodies as the spec writes them', () => {
			const field = schema('LettaStreamingRequest').properties
				?.include_return_message_types as Schema;
			expect(isNullableArray(field)).toBe(true);
			expect(field).toEqual(
				source.components.schemas.LettaStreamingRequest.properties?.include_return_message_types,
			);
		});
	});

	it('does not modify its input', () => {
		const input = JSON.parse(sourceText) as typeof source;
		makeStrictSpec(JSON.parse(JSON.stringify(input)));
		expect(JSON.stringify(input)).toBe(sourceText);
	});
});
