/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- the simulator's fixed test key, not a secret; test tooling runs in plain Node, outside n8n */
/**
 * The simulator's seed: fixed ids and names that tests, the demo and the e2e suite import.
 * Ids follow Letta's formats exactly (agent-<uuid4>, conv-<uuid4>) so the spec's path
 * patterns accept them when requests go through the Prism validator.
 */

/** The simulator's base key (the default tenant). Any other Bearer token gets 401. */
export const SIMULATOR_BASE_API_KEY = 'sk-let-simulator-0000-test-key';

/**
 * One simulator serves the whole jest run while jest runs test files in parallel workers.
 * So that a reset or a pending approval in one file never leaks into another, each worker
 * is its own tenant: separate state, faults, latency and request log, selected by the
 * API key (`<base>-<tenant>`) on /v1 and by the x-sim-tenant header on /__sim.
 * Outside jest (CLI, demo, e2e) the tenant is `default` and the key is the base key.
 */
export const SIMULATOR_TENANT = process.env.JEST_WORKER_ID
	? `w${process.env.JEST_WORKER_ID}`
	: 'default';

export const DEFAULT_TENANT = 'default';

/** Control requests (/__sim) pick their tenant with this header; absent = `default`. */
export const TENANT_HEADER = 'x-sim-tenant';

/** Tenant names: short and URL/header safe. */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function tenantApiKey(tenant: string, baseKey: string = SIMULATOR_BASE_API_KEY): string {
	return tenant === DEFAULT_TENANT ? baseKey : `${baseKey}-${tenant}`;
}

/** The key this process should send: its tenant's key (the base key outside jest). */
export const SIMULATOR_API_KEY = tenantApiKey(SIMULATOR_TENANT);

/** The project every seeded agent belongs to (the X-Project-Id header is recorded, not enforced). */
export const SIMULATOR_PROJECT_ID = 'project-00000000-0000-4000-8000-00000000aaaa';

export const SIMULATOR_ORGANIZATION_ID = 'org-00000000-0000-4000-8000-00000000bbbb';

/** How a seeded agent answers a user message. */
export type AgentBehaviour =
	/** one assistant_message: `<name> heard: <text>` */
	| 'echo'
	/** calls the non-approval tool `search_notes`, then replies: two steps */
	| 'research'
	/** calls `delete_file`, which requires approval */
	| 'approval'
	/** calls `deploy_release` and `notify_channel` in parallel, both requiring approval */
	| 'parallelApproval'
	/**
	 * calls `backup_database` (approval), and once that ran asks approval for `migrate_schema`
	 * in the continuation: two approvals in a row before the closing reply
	 */
	| 'chainedApproval'
	/**
	 * works for the tenant's `workMs` (control API, `/__sim/long-runs`): LONG_WORK_TOOL_STEPS
	 * steps of `crunch_numbers` (tool call + return) spread over that time, then replies
	 */
	| 'longWork';

export interface SeedAgent {
	id: string;
	name: string;
	tags: string[];
	description: string;
	behaviour: AgentBehaviour;
}

export const AGENT_IDS = {
	customerSupport: 'agent-11111111-1111-4111-8111-111111111101',
	salesAssistant: 'agent-11111111-1111-4111-8111-111111111102',
	newsletterWriter: 'agent-11111111-1111-4111-8111-111111111103',
	dataAnalyst: 'agent-11111111-1111-4111-8111-111111111104',
	meetingNotes: 'agent-11111111-1111-4111-8111-111111111105',
	translator: 'agent-11111111-1111-4111-8111-111111111106',
	researchScout: 'agent-11111111-1111-4111-8111-111111111107',
	fileJanitor: 'agent-11111111-1111-4111-8111-111111111108',
	releaseManager: 'agent-11111111-1111-4111-8111-111111111109',
	chainedOps: 'agent-11111111-1111-4111-8111-111111111110',
	longWorker: 'agent-11111111-1111-4111-8111-111111111111',
} as const;

/** A well-formed agent id that no seeded agent has: for 404 tests. */
export const UNKNOWN_AGENT_ID = 'agent-99999999-9999-4999-8999-999999999999';

/** Listed oldest first; `GET /v1/agents/` defaults to newest first (order=desc). */
export const SEED_AGENTS: readonly SeedAgent[] = [
	{
		id: AGENT_IDS.customerSupport,
		name: 'Customer Support',
		tags: ['support', 'prod'],
		description: 'Answers customer questions.',
		behaviour: 'echo',
	},
	{
		id: AGENT_IDS.salesAssistant,
		name: 'Sales Assistant',
		tags: ['sales', 'prod'],
		description: 'Drafts sales follow-ups.',
		behaviour: 'echo',
	},
	{
		id: AGENT_IDS.newsletterWriter,
		name: 'Newsletter Writer',
		tags: ['content'],
		description: 'Writes the weekly newsletter.',
		behaviour: 'echo',
	},
	{
		id: AGENT_IDS.dataAnalyst,
		name: 'Data Analyst',
		tags: ['analytics', 'prod'],
		description: 'Summarises metrics.',
		behaviour: 'echo',
	},
	{
		id: AGENT_IDS.meetingNotes,
		name: 'Meeting Notes',
		tags: ['internal'],
		description: 'Keeps meeting notes.',
		behaviour: 'echo',
	},
	{
		id: AGENT_IDS.translator,
		name: 'Translator',
		tags: ['content', 'internal'],
		description: 'Translates text.',
		behaviour: 'echo',
	},
	{
		id: AGENT_IDS.researchScout,
		name: 'Research Scout',
		tags: ['research'],
		description: 'Searches notes before answering (two steps per turn).',
		behaviour: 'research',
	},
	{
		id: AGENT_IDS.fileJanitor,
		name: 'File Janitor',
		tags: ['approval', 'ops'],
		description: 'Deletes files, but only with approval.',
		behaviour: 'approval',
	},
	{
		id: AGENT_IDS.releaseManager,
		name: 'Release Manager',
		tags: ['approval', 'ops'],
		description: 'Deploys and announces releases: two parallel calls needing approval.',
		behaviour: 'parallelApproval',
	},
	{
		id: AGENT_IDS.chainedOps,
		name: 'Change Runner',
		tags: ['approval', 'ops'],
		description:
			'Backs up a database, then migrates its schema: two approvals in a row, the second asked after the first ran.',
		behaviour: 'chainedApproval',
	},
	{
		id: AGENT_IDS.longWorker,
		name: 'Long Worker',
		tags: ['batch'],
		description: 'Works for a configurable time with tool steps, then replies (long runs).',
		behaviour: 'longWork',
	},
];

/** Tool names the approval agents call. */
export const APPROVAL_TOOL_NAMES = {
	deleteFile: 'delete_file',
	deployRelease: 'deploy_release',
	notifyChannel: 'notify_channel',
	backupDatabase: 'backup_database',
	migrateSchema: 'migrate_schema',
} as const;

export const RESEARCH_TOOL_NAME = 'search_notes';

/** The Long Worker's tool (no approval) and how many tool steps it takes before its reply. */
export const LONG_WORK_TOOL_NAME = 'crunch_numbers';
export const LONG_WORK_TOOL_STEPS = 3;

export interface SeedConversation {
	id: string;
	agentId: string;
	summary: string;
}

export const CONVERSATION_IDS = {
	supportBilling: 'conv-22222222-2222-4222-8222-222222222201',
	supportOnboarding: 'conv-22222222-2222-4222-8222-222222222202',
	janitorCleanup: 'conv-22222222-2222-4222-8222-222222222203',
	releaseWeekly: 'conv-22222222-2222-4222-8222-222222222204',
} as const;

export const UNKNOWN_CONVERSATION_ID = 'conv-99999999-9999-4999-8999-999999999999';

export const SEED_CONVERSATIONS: readonly SeedConversation[] = [
	{
		id: CONVERSATION_IDS.supportBilling,
		agentId: AGENT_IDS.customerSupport,
		summary: 'Billing questions',
	},
	{
		id: CONVERSATION_IDS.supportOnboarding,
		agentId: AGENT_IDS.customerSupport,
		summary: 'Onboarding',
	},
	{ id: CONVERSATION_IDS.janitorCleanup, agentId: AGENT_IDS.fileJanitor, summary: 'Disk cleanup' },
	{
		id: CONVERSATION_IDS.releaseWeekly,
		agentId: AGENT_IDS.releaseManager,
		summary: 'Weekly release',
	},
];

export interface SeedEnvironment {
	id: string;
	deviceId: string;
	connectionName: string;
	/** null = offline (no live session). */
	connectionId: string | null;
	/** connectionIds of earlier sessions: messages to them get 503 (offline), not 404. */
	staleConnectionIds: string[];
	/** How old the last heartbeat is; over 120 s counts as offline even with a connectionId. */
	heartbeatAgeSeconds: number | null;
	/** The agent that answers when a message names no agentId. */
	defaultAgentId: string;
	os: string;
}

export const ENVIRONMENT_IDS = {
	aliceLaptop: 'env-33333333-3333-4333-8333-333333333301',
	buildServer: 'env-33333333-3333-4333-8333-333333333302',
	oldDesktop: 'env-33333333-3333-4333-8333-333333333303',
	flakyVm: 'env-33333333-3333-4333-8333-333333333304',
} as const;

export const ENVIRONMENT_DEVICE_IDS = {
	aliceLaptop: 'device-alice-laptop',
	buildServer: 'device-build-server',
	oldDesktop: 'device-old-desktop',
	flakyVm: 'device-flaky-vm',
} as const;

export const ENVIRONMENT_CONNECTION_IDS = {
	aliceLaptop: 'conn-44444444-4444-4444-8444-444444444401',
	buildServer: 'conn-44444444-4444-4444-8444-444444444402',
	/** The old desktop's last session: it is offline now (connectionId null). */
	oldDesktopStale: 'conn-44444444-4444-4444-8444-444444444403',
	/** Still has a connectionId but its heartbeat is 10 minutes old: offline. */
	flakyVm: 'conn-44444444-4444-4444-8444-444444444404',
} as const;

export const UNKNOWN_CONNECTION_ID = 'conn-99999999-9999-4999-8999-999999999999';

/** A connection counts as online with a connectionId and a heartbeat in the last 120 s. */
export const ENVIRONMENT_ONLINE_WINDOW_SECONDS = 120;

export const SEED_ENVIRONMENTS: readonly SeedEnvironment[] = [
	{
		id: ENVIRONMENT_IDS.aliceLaptop,
		deviceId: ENVIRONMENT_DEVICE_IDS.aliceLaptop,
		connectionName: 'alice-laptop',
		connectionId: ENVIRONMENT_CONNECTION_IDS.aliceLaptop,
		staleConnectionIds: [],
		heartbeatAgeSeconds: 5,
		defaultAgentId: AGENT_IDS.customerSupport,
		os: 'darwin',
	},
	{
		id: ENVIRONMENT_IDS.buildServer,
		deviceId: ENVIRONMENT_DEVICE_IDS.buildServer,
		connectionName: 'build-server',
		connectionId: ENVIRONMENT_CONNECTION_IDS.buildServer,
		staleConnectionIds: [],
		heartbeatAgeSeconds: 12,
		defaultAgentId: AGENT_IDS.fileJanitor,
		os: 'linux',
	},
	{
		id: ENVIRONMENT_IDS.oldDesktop,
		deviceId: ENVIRONMENT_DEVICE_IDS.oldDesktop,
		connectionName: 'old-desktop',
		connectionId: null,
		staleConnectionIds: [ENVIRONMENT_CONNECTION_IDS.oldDesktopStale],
		heartbeatAgeSeconds: 86400,
		defaultAgentId: AGENT_IDS.customerSupport,
		os: 'win32',
	},
	{
		id: ENVIRONMENT_IDS.flakyVm,
		deviceId: ENVIRONMENT_DEVICE_IDS.flakyVm,
		connectionName: 'flaky-vm',
		connectionId: ENVIRONMENT_CONNECTION_IDS.flakyVm,
		staleConnectionIds: [],
		heartbeatAgeSeconds: 600,
		defaultAgentId: AGENT_IDS.customerSupport,
		os: 'linux',
	},
];

/** Fixed creation time of the seed, so listings sort the same way on every run. */
export const SEED_EPOCH_MS = Date.UTC(2025, 0, 1, 9, 0, 0);

/**
 * Memory blocks. Every agent has its own `persona` and `human` block (ids derived from the
 * agent id, stable across resets); `company` is one block shared by Customer Support and
 * Sales Assistant; `escalation-policy` is attached to no agent (to attach in tests).
 */
export const BLOCK_IDS = {
	company: 'block-22222222-2222-4222-8222-222222222201',
	escalationPolicy: 'block-22222222-2222-4222-8222-222222222202',
} as const;

/** A well-formed block id that no block has: for 404 tests. */
export const UNKNOWN_BLOCK_ID = 'block-99999999-9999-4999-8999-999999999999';

export const HUMAN_BLOCK_SEED_VALUE = 'The human is an n8n workflow.';

export interface SeedSharedBlock {
	id: string;
	label: string;
	value: string;
	description: string;
	agentIds: string[];
}

export const SEED_SHARED_BLOCKS: readonly SeedSharedBlock[] = [
	{
		id: BLOCK_IDS.company,
		label: 'company',
		value: 'Acme Widgets sells widgets to small businesses. Support hours: 9-17 CET.',
		description: 'Facts about the company, shared by the customer-facing agents.',
		agentIds: [AGENT_IDS.customerSupport, AGENT_IDS.salesAssistant],
	},
	{
		id: BLOCK_IDS.escalationPolicy,
		label: 'escalation-policy',
		value: 'Escalate refunds over 500 EUR to a human.',
		description: 'When to hand a case to a human.',
		agentIds: [],
	},
];

/** The block ids of an agent's own blocks: `block-<index>-0000-4000-8000-00<agent id tail>`. */
export function agentBlockId(agentId: string, index: number): string {
	return `block-${index.toString(16).padStart(8, '0')}-0000-4000-8000-00${agentId.slice(-10)}`;
}

/** Archival memory (passages) of Customer Support, oldest first. */
export interface SeedPassage {
	id: string;
	agentId: string;
	text: string;
	tags: string[];
}

export const PASSAGE_IDS = {
	refundPolicy: 'passage-33333333-3333-4333-8333-333333333301',
	shippingTimes: 'passage-33333333-3333-4333-8333-333333333302',
	invoiceCopies: 'passage-33333333-3333-4333-8333-333333333303',
} as const;

export const UNKNOWN_PASSAGE_ID = 'passage-99999999-9999-4999-8999-999999999999';

export const SEED_PASSAGES: readonly SeedPassage[] = [
	{
		id: PASSAGE_IDS.refundPolicy,
		agentId: AGENT_IDS.customerSupport,
		text: 'Refunds are paid within 14 days of the return arriving.',
		tags: ['policy', 'refunds'],
	},
	{
		id: PASSAGE_IDS.shippingTimes,
		agentId: AGENT_IDS.customerSupport,
		text: 'Shipping inside the EU takes 2 to 4 working days.',
		tags: ['policy', 'shipping'],
	},
	{
		id: PASSAGE_IDS.invoiceCopies,
		agentId: AGENT_IDS.customerSupport,
		text: 'Customers can download invoice copies from their account page.',
		tags: ['billing'],
	},
];
