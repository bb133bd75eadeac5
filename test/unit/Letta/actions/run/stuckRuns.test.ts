import { startedBefore } from '../../../../../nodes/Letta/actions/run/stuckRuns';

const now = Date.parse('2025-06-01T12:00:00Z');
const runs = [
	{ id: 'old', created_at: '2025-06-01T11:00:00Z' },
	{ id: 'edge', created_at: '2025-06-01T11:30:00Z' },
	{ id: 'new', created_at: '2025-06-01T11:59:00Z' },
	{ id: 'unknown', created_at: null },
];

describe('startedBefore', () => {
	it('keeps runs that started more than N minutes ago (not exactly N), and no run of unknown age', () => {
		expect(startedBefore(runs, 30, now).map((run) => run.id)).toEqual(['old']);
	});
	it('0 minutes keeps every run', () => {
		expect(startedBefore(runs, 0, now)).toHaveLength(4);
	});
});
