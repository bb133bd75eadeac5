import { Letta } from '../../../../nodes/Letta/Letta.node';
import { LettaRunTrigger } from '../../../../nodes/LettaRunTrigger/LettaRunTrigger.node';
import { LettaSendAgentMessage } from '../../../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import { LettaSendToEnvironment } from '../../../../nodes/LettaSendToEnvironment/LettaSendToEnvironment.node';
import { LettaTrigger } from '../../../../nodes/LettaTrigger/LettaTrigger.node';
import { compileItemFieldMapping } from '../../../../nodes/shared/items/itemFieldMapping';

const item = {
	text: 'hello',
	count: 0,
	flag: false,
	empty: '',
	nothing: null,
	customer: { name: 'Ada', tags: ['vip'] },
	'the text': 'spaced',
	list: ['first', { deep: 'value' }],
};

describe('compileItemFieldMapping', () => {
	it.each([
		['={{ $json.text }}', 'hello'],
		['={{$json.text}}', 'hello'],
		['={{ $json.count }}', 0],
		['={{ $json.flag }}', false],
		['={{ $json.empty }}', ''],
		['={{ $json.customer.name }}', 'Ada'],
		['={{ $json.customer.tags[0] }}', 'vip'],
		['={{ $json["the text"] }}', 'spaced'],
		["={{ $json['the text'] }}", 'spaced'],
		['={{ $json.list[1].deep }}', 'value'],
		['={{ $json.list.length }}', 2],
	])('reads %s from the item', (saved, expected) => {
		expect(compileItemFieldMapping(saved)?.(item)).toBe(expected);
	});

	it.each([
		'={{ $json.missing }}',
		'={{ $json.nothing }}',
		'={{ $json.customer }}',
		'={{ $json.list }}',
		'={{ $json.text.length }}',
		'={{ $json.missing.deeper }}',
	])('leaves %s to n8n (a field that is missing, null, an object or a list)', (saved) => {
		const mapping = compileItemFieldMapping(saved);
		expect(mapping).toBeDefined();
		expect(mapping?.(item)).toBeUndefined();
		expect(mapping?.(undefined)).toBeUndefined();
	});

	it.each([
		'hello',
		'={{ $json.text }} and more',
		'=Dear {{ $json.text }}',
		'={{ $json.text.toUpperCase() }}',
		'={{ $json.text + "!" }}',
		'={{ ($json.text) }}',
		'={{ $json.constructor }}',
		'={{ $json.__proto__ }}',
		'={{ $json["a\\"b"] }}',
		"={{ $('Other node').item.json.text }}",
		'={{ $input.item.json.text }}',
		'={{ $json }}',
		'={{ $json.text }}\n',
	])('is no mapping for %j (n8n resolves it)', (saved) => {
		expect(compileItemFieldMapping(saved)).toBeUndefined();
	});

	it('never reads a property the item does not own', () => {
		const mapping = compileItemFieldMapping('={{ $json.toString }}');
		expect(mapping?.({})).toBeUndefined();
	});

	it('resolves a resource locator whose value is a field, keeping its mode', () => {
		const mapping = compileItemFieldMapping({
			__rl: true,
			mode: 'id',
			value: '={{ $json.text }}',
			cachedResultName: 'Support',
		});
		expect(mapping?.(item)).toEqual({
			__rl: true,
			mode: 'id',
			value: 'hello',
			cachedResultName: 'Support',
		});
		expect(mapping?.({})).toBeUndefined();
	});

	it('is no mapping for a resource locator with another expression in it', () => {
		expect(
			compileItemFieldMapping({
				__rl: true,
				mode: '={{ $json.mode }}',
				value: '={{ $json.text }}',
			}),
		).toBeUndefined();
		expect(compileItemFieldMapping({ mode: 'id', value: '={{ $json.text }}' })).toBeUndefined();
		expect(compileItemFieldMapping(42)).toBeUndefined();
	});
});

describe("the shortcut's premise", () => {
	/** n8n checks a value against `validateType` after resolving it; the shortcut does not. */
	const withValidateType = (properties: unknown[]): string[] =>
		properties.flatMap((property) => {
			const { name, validateType, options, values } = property as {
				name?: string;
				validateType?: unknown;
				options?: unknown[];
				values?: unknown[];
			};
			const own = validateType === undefined ? [] : [String(name)];
			const nested = [...(options ?? []), ...(values ?? [])].filter(
				(entry) => entry && typeof entry === 'object',
			);
			return [...own, ...withValidateType(nested)];
		});

	it.each([
		new LettaSendAgentMessage(),
		new LettaSendToEnvironment(),
		new Letta(),
		new LettaTrigger(),
		new LettaRunTrigger(),
	])('no parameter of $description.displayName sets validateType', (node) => {
		expect(node.description.properties.length).toBeGreaterThan(0);
		expect(withValidateType(node.description.properties)).toEqual([]);
	});
});
