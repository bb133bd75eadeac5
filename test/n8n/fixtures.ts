/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test fixtures: the keys of the local Letta simulator, not secrets */
/**
 * Fixed ids shared by the demo (npm start), the e2e suite and the workflows in examples/
 * and test/e2e/workflows/: a workflow refers to the Letta credential as
 *   "credentials": { "lettaCommunityApi": { "id": "letta-simulator", "name": "Letta (simulator)" } }
 * and the launchers import a credential with exactly that id.
 */

export const LETTA_CREDENTIAL_TYPE = 'lettaCommunityApi';

/** The credential every example and test workflow uses (n8n finds it by id). */
export const LETTA_CREDENTIAL = {
	id: 'letta-simulator',
	name: 'Letta (simulator)',
	type: LETTA_CREDENTIAL_TYPE,
} as const;

/** The same id when the demo runs against a real Letta (LETTA_BASE_URL / LETTA_API_KEY). */
export const REAL_LETTA_CREDENTIAL_NAME = 'Letta';

/** e2e only: the same server with a wrong API key, for the error paths. */
export const LETTA_WRONG_KEY_CREDENTIAL = {
	id: 'LettaBadKey00001',
	name: 'Letta account (wrong key)',
	type: LETTA_CREDENTIAL_TYPE,
} as const;

export const WRONG_API_KEY = 'sk-let-wrong-key-for-e2e-0000';

/** e2e only: the right key, but a base URL with a path (every call 404s outside Letta's API). */
export const LETTA_WRONG_BASE_URL_CREDENTIAL = {
	id: 'LettaBadUrl00001',
	name: 'Letta account (base URL with a path)',
	type: LETTA_CREDENTIAL_TYPE,
} as const;

/** What the wrong-base-URL credential appends to the right base URL. */
export const WRONG_BASE_URL_PATH = '/letta';

/** e2e only: the right key, through a proxy that cuts connections idle for 2 s (long runs). */
export const LETTA_IDLE_CUT_CREDENTIAL = {
	id: 'LettaIdleCut0001',
	name: 'Letta (behind an idle-cut proxy)',
	type: LETTA_CREDENTIAL_TYPE,
} as const;

/** e2e only: the right key, through a proxy that drops one connection mid-stream, once. */
export const LETTA_DROP_ONCE_CREDENTIAL = {
	id: 'LettaDropOnce001',
	name: 'Letta (behind a drop-once proxy)',
	type: LETTA_CREDENTIAL_TYPE,
} as const;

/** The demo's owner account (local only: n8n listens on 127.0.0.1). */
export const DEMO_OWNER = {
	email: 'demo@n8n-nodes-letta.local',
	password: 'Letta-demo-1',
	firstName: 'Letta',
	lastName: 'Demo',
} as const;
