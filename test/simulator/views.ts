/**
 * Internal records -> the JSON the spec documents (AgentState, Run, Conversation,
 * environment connection). Objects with additionalProperties:false in the spec get
 * exactly their documented fields.
 */
import {
	APPROVAL_TOOL_NAMES,
	ENVIRONMENT_ONLINE_WINDOW_SECONDS,
	LONG_WORK_TOOL_NAME,
	RESEARCH_TOOL_NAME,
	SIMULATOR_ORGANIZATION_ID,
	SIMULATOR_PROJECT_ID,
} from './fixtures';
import type {
	AgentRecord,
	ApprovalRequestMessage,
	BlockRecord,
	ConversationRecord,
	EnvironmentRecord,
	RunRecord,
} from './types';

const MODEL = 'openai/gpt-4o-mini';
const SIMULATOR_USER_ID = 'user-00000000-0000-4000-8000-00000000cccc';

interface ToolDefinition {
	name: string;
	description: string;
	requiresApproval: boolean;
	parameters: Record<string, string>;
}

const SEND_MESSAGE_TOOL: ToolDefinition = {
	name: 'send_message',
	description: 'Sends a message to the human user.',
	requiresApproval: false,
	parameters: { message: 'Message contents.' },
};

function agentTools(agent: AgentRecord): ToolDefinition[] {
	switch (agent.behaviour) {
		case 'echo':
			return [SEND_MESSAGE_TOOL];
		case 'research':
			return [
				SEND_MESSAGE_TOOL,
				{
					name: RESEARCH_TOOL_NAME,
					description: 'Searches notes.',
					requiresApproval: false,
					parameters: { query: 'What to search for.' },
				},
			];
		case 'longWork':
			return [
				SEND_MESSAGE_TOOL,
				{
					name: LONG_WORK_TOOL_NAME,
					description: 'Crunches one part of a long job.',
					requiresApproval: false,
					parameters: { job: 'The job.', part: 'Which part.' },
				},
			];
		case 'approval':
			return [
				SEND_MESSAGE_TOOL,
				{
					name: APPROVAL_TOOL_NAMES.deleteFile,
					description: 'Deletes a file.',
					requiresApproval: true,
					parameters: { path: 'File to delete.' },
				},
			];
		case 'parallelApproval':
			return [
				SEND_MESSAGE_TOOL,
				{
					name: APPROVAL_TOOL_NAMES.deployRelease,
					description: 'Deploys a release.',
					requiresApproval: true,
					parameters: { version: 'Version to deploy.' },
				},
				{
					name: APPROVAL_TOOL_NAMES.notifyChannel,
					description: 'Posts to a chat channel.',
					requiresApproval: true,
					parameters: { channel: 'Channel.', text: 'Text to post.' },
				},
			];
		case 'chainedApproval':
			return [
				SEND_MESSAGE_TOOL,
				{
					name: APPROVAL_TOOL_NAMES.backupDatabase,
					description: 'Backs up a database.',
					requiresApproval: true,
					parameters: { database: 'Database to back up.' },
				},
				{
					name: APPROVAL_TOOL_NAMES.migrateSchema,
					description: 'Migrates a database schema (after a backup).',
					requiresApproval: true,
					parameters: {
						database: 'Database to migrate.',
						to_version: 'Schema version to migrate to.',
					},
				},
			];
	}
}

/** Stable fake ids derived from the agent id, so AgentState is identical across resets. */
function derivedId(prefix: 'tool', agentId: string, index: number): string {
	const tail = agentId.slice(-10);
	return `${prefix}-${index.toString(16).padStart(8, '0')}-0000-4000-8000-00${tail}`;
}

/** BlockResponse (and the blocks inside AgentState). */
export function toBlock(block: BlockRecord) {
	return {
		id: block.id,
		label: block.label,
		value: block.value,
		limit: block.limit,
		description: block.description,
		metadata: {},
		read_only: false,
		is_template: false,
		project_id: SIMULATOR_PROJECT_ID,
		tags: block.tags,
		created_by_id: null,
		last_updated_by_id: null,
	};
}

export function toAgentState(
	agent: AgentRecord,
	pendingApproval: ApprovalRequestMessage | null,
	agentBlocks: BlockRecord[],
) {
	const blocks = agentBlocks.map(toBlock);
	const tools = agentTools(agent).map((tool, index) => ({
		id: derivedId('tool', agent.id, index),
		tool_type: tool.name === 'send_message' ? ('letta_core' as const) : ('custom' as const),
		name: tool.name,
		description: tool.description,
		tags: [],
		default_requires_approval: tool.requiresApproval,
		json_schema: {
			name: tool.name,
			description: tool.description,
			parameters: {
				type: 'object',
				properties: Object.fromEntries(
					Object.entries(tool.parameters).map(([name, description]) => [
						name,
						{ type: 'string', description },
					]),
				),
				required: Object.keys(tool.parameters),
			},
		},
		return_char_limit: 50000,
	}));
	return {
		id: agent.id,
		name: agent.name,
		description: agent.description,
		system: `You are ${agent.name}, a simulated Letta agent.`,
		agent_type: 'letta_v1_agent' as const,
		llm_config: {
			model: 'gpt-4o-mini',
			model_endpoint_type: 'openai' as const,
			model_endpoint: 'https://api.openai.com/v1',
			context_window: 128000,
			handle: MODEL,
		},
		model: MODEL,
		embedding: null,
		memory: { blocks, file_blocks: [], prompt_template: '' },
		blocks,
		tools,
		sources: [],
		tags: agent.tags,
		metadata: {},
		message_ids: [],
		tool_rules: [],
		project_id: SIMULATOR_PROJECT_ID,
		identity_ids: [],
		identities: [],
		created_at: agent.createdAt,
		updated_at: agent.updatedAt,
		created_by_id: null,
		last_updated_by_id: null,
		pending_approval: pendingApproval,
		last_stop_reason: agent.lastStopReason,
		last_run_completion: agent.lastRunCompletion,
		last_run_duration_ms: agent.lastRunDurationMs,
		timezone: 'UTC',
		hidden: null,
	};
}

export type RunView = ReturnType<typeof toRun>;

export function toRun(run: RunRecord) {
	return {
		id: run.id,
		status: run.status,
		agent_id: run.agentId,
		conversation_id: run.conversationId,
		created_at: run.createdAt,
		completed_at: run.completedAt,
		stop_reason: run.stopReason,
		background: run.background ?? false,
		metadata: run.metadata ?? {},
		callback_url: run.callback?.url ?? null,
		callback_sent_at: run.callback?.sentAt ?? null,
		callback_status_code: run.callback?.statusCode ?? null,
		callback_error: run.callback?.error ?? null,
		ttft_ns: null,
		total_duration_ns: run.durationMs === null ? null : run.durationMs * 1_000_000,
	};
}

export function toConversation(conversation: ConversationRecord) {
	return {
		id: conversation.id,
		agent_id: conversation.agentId,
		summary: conversation.summary,
		created_at: conversation.createdAt,
		updated_at: conversation.updatedAt,
		last_message_at: conversation.lastMessageAt,
		created_by_id: null,
		last_updated_by_id: null,
		in_context_message_ids: [],
		isolated_block_ids: [],
		model: conversation.model,
	};
}

/** Online = a live session (connectionId) and a heartbeat in the last 120 s. */
export function isEnvironmentOnline(environment: EnvironmentRecord): boolean {
	return (
		environment.connectionId !== null &&
		environment.heartbeatAgeMs !== null &&
		environment.heartbeatAgeMs <= ENVIRONMENT_ONLINE_WINDOW_SECONDS * 1000
	);
}

export type EnvironmentConnectionView = ReturnType<typeof toEnvironmentConnection>;

export function toEnvironmentConnection(environment: EnvironmentRecord, nowMs: number) {
	const lastHeartbeat =
		environment.heartbeatAgeMs === null ? null : nowMs - environment.heartbeatAgeMs;
	return {
		id: environment.id,
		connectionId: environment.connectionId,
		deviceId: environment.deviceId,
		connectionName: environment.connectionName,
		organizationId: SIMULATOR_ORGANIZATION_ID,
		userId: SIMULATOR_USER_ID,
		apiKeyOwner: SIMULATOR_USER_ID,
		podId: environment.connectionId === null ? null : 'pod-simulator-1',
		connectedAt: environment.connectedAtMs,
		lastHeartbeat,
		lastSeenAt: lastHeartbeat ?? environment.firstSeenAtMs,
		firstSeenAt: environment.firstSeenAtMs,
		currentMode: 'default' as const,
		metadata: {
			os: environment.os,
			lettaCodeVersion: '0.9.0',
			nodeVersion: 'v24.0.0',
			workingDirectory: `/home/${environment.connectionName}/project`,
			gitBranch: 'main',
		},
	};
}
