import { parseTags, toIsoTime } from '../../../../nodes/Letta/actions/values';

describe('parseTags', () => {
	it('splits text on commas, trims, drops blanks and repeats', () => {
		expect(parseTags(' policy, refunds ,, policy')).toEqual(['policy', 'refunds']);
	});
	it('takes a list from an expression as it is (entries as text)', () => {
		expect(parseTags(['a', ' b ', 3])).toEqual(['a', 'b', '3']);
	});
	it('nothing given is no tags', () => {
		expect(parseTags(undefined)).toEqual([]);
		expect(parseTags('')).toEqual([]);
	});
});

describe('toIsoTime', () => {
	it('turns a date-time parameter into UTC ISO 8601; empty is undefined', () => {
		expect(toIsoTime('2024-05-01T12:00:00+02:00')).toBe('2024-05-01T10:00:00.000Z');
		expect(toIsoTime('')).toBeUndefined();
	});
});
