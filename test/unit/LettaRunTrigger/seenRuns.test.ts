import { withSeenRun } from '../../../nodes/LettaRunTrigger/seenRuns';

describe('Letta Run Trigger: seen runs', () => {
	it('keeps the newest run ids, bounded', () => {
		expect(withSeenRun(['a', 'b'], 'c', 2)).toEqual(['b', 'c']);
		expect(withSeenRun(['a', 'b'], 'a', 3)).toEqual(['b', 'a']);
	});
});
