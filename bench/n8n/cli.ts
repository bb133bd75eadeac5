/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmark tooling runs in plain Node, outside n8n */
/** `tsx bench/n8n/cli.ts [--quick]`: the real-n8n group alone (npm run bench runs it too). */
import { parseArgs } from 'node:util';

import { stopAll } from '../../test/n8n';
import { profileRealN8n, runRealN8n } from './index';

const { values } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		case: { type: 'string' },
		profile: { type: 'boolean', default: false },
	},
});
(values.profile ? profileRealN8n() : runRealN8n(values.quick ?? false, values.case))
	.then(async () => await stopAll())
	.catch(async (error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
		await stopAll();
		process.exit(1);
	});
