/**
 * What an agent says, deterministically: no LLM. Each function returns the agent's
 * messages for one turn plus the stop reason; the caller stores them and builds the response.
 */
import {
	APPROVAL_TOOL_NAMES,
	LONG_WORK_TOOL_NAME,
	LONG_WORK_TOOL_STEPS,
	RESEARCH_TOOL_NAME,
} from './fixtures';
import type { IdFactory } from './ids';
import {
	approvalRequestMessage,
	assistantMessage,
	reasoningMessage,
	toolCallMessage,
	toolReturnMessage,
	type MessageContext,
} from './messages';
import type { ApprovalAnswer, SendOptions, UserInput } from './requestBody';
import type { AgentRecord, LettaMessage, StopReason, ToolCall, ToolReturnItem } from './types';

export interface TurnOutcome {
	/** The agent's own messages, in order (the inbound message is stored separately). */
	messages: LettaMessage[];
	stopReason: StopReason;
	stepCount: number;
	/** Set when the turn stopped for approval. */
	approvalToolCalls: ToolCall[] | null;
}

interface TurnEnvironment {
	ids: IdFactory;
	runId: string;
	options: SendOptions;
}

/** Text the agent "heard": text parts joined by a space, images counted, messages on separate lines. */
export function heardText(inputs: UserInput[]): string {
	return inputs
		.filter((input) => input.role === 'user')
		.map((input) => {
			if (typeof input.content === 'string') return input.content;
			const text = input.content
				.filter((part) => part.type === 'text')
				.map((part) => (part.type === 'text' ? part.text : ''))
				.join(' ');
			const images = input.content.filter((part) => part.type === 'image').length;
			return images > 0 ? `${text} [+${images} image(s)]` : text;
		})
		.join('\n');
}

export function replyText(agent: AgentRecord, heard: string): string {
	return `${agent.name} heard: ${heard}`;
}

class StepWriter {
	readonly messages: LettaMessage[] = [];
	steps = 0;
	private context: MessageContext;

	constructor(private readonly env: TurnEnvironment) {
		this.context = { ids: env.ids, runId: env.runId, stepId: null };
	}

	/** Starts a new agent step; returns the context its messages are built with. */
	step(): MessageContext {
		this.steps += 1;
		this.context = {
			ids: this.env.ids,
			runId: this.env.runId,
			stepId: this.env.ids.prefixed('step'),
		};
		return this.context;
	}

	think(reasoning: string): void {
		if (this.env.options.enableThinking)
			this.messages.push(reasoningMessage(this.context, reasoning));
	}

	get canTakeAnotherStep(): boolean {
		return this.steps < this.env.options.maxSteps;
	}

	outcome(stopReason: StopReason, approvalToolCalls: ToolCall[] | null = null): TurnOutcome {
		return { messages: this.messages, stopReason, stepCount: this.steps, approvalToolCalls };
	}
}

export function answerUserTurn(
	agent: AgentRecord,
	inputs: UserInput[],
	env: TurnEnvironment,
): TurnOutcome {
	const heard = heardText(inputs);
	const writer = new StepWriter(env);
	const context = writer.step();
	switch (agent.behaviour) {
		case 'echo': {
			writer.think(`The user said "${heard}". I will acknowledge it.`);
			writer.messages.push(assistantMessage(context, replyText(agent, heard)));
			return writer.outcome('end_turn');
		}
		case 'research': {
			writer.think(`I should search my notes for "${heard}" before answering.`);
			const call: ToolCall = {
				name: RESEARCH_TOOL_NAME,
				arguments: JSON.stringify({ query: heard }),
				tool_call_id: env.ids.toolCallId(),
			};
			writer.messages.push(toolCallMessage(context, [call]));
			writer.messages.push(
				toolReturnMessage(context, {
					type: 'tool',
					tool_call_id: call.tool_call_id,
					tool_return: `Found 3 notes about "${heard}".`,
					status: 'success',
					stdout: null,
					stderr: null,
				}),
			);
			if (!writer.canTakeAnotherStep) return writer.outcome('max_steps');
			const replyContext = writer.step();
			writer.think('The notes are enough to answer.');
			writer.messages.push(assistantMessage(replyContext, replyText(agent, heard)));
			return writer.outcome('end_turn');
		}
		case 'longWork': {
			// One tool step per part of the job; the turn paces them over its work time (longRuns.ts).
			for (let part = 1; part <= LONG_WORK_TOOL_STEPS; part++) {
				const stepContext = part === 1 ? context : writer.step();
				writer.think(
					`Part ${part} of ${LONG_WORK_TOOL_STEPS}: crunching the numbers for "${heard}".`,
				);
				const call: ToolCall = {
					name: LONG_WORK_TOOL_NAME,
					arguments: JSON.stringify({ job: heard, part }),
					tool_call_id: env.ids.toolCallId(),
				};
				writer.messages.push(toolCallMessage(stepContext, [call]));
				writer.messages.push(
					toolReturnMessage(stepContext, {
						type: 'tool',
						tool_call_id: call.tool_call_id,
						tool_return: `Part ${part} of ${LONG_WORK_TOOL_STEPS} done.`,
						status: 'success',
						stdout: null,
						stderr: null,
					}),
				);
				if (!writer.canTakeAnotherStep) return writer.outcome('max_steps');
			}
			const replyContext = writer.step();
			writer.messages.push(assistantMessage(replyContext, replyText(agent, heard)));
			return writer.outcome('end_turn');
		}
		case 'approval':
		case 'parallelApproval':
		case 'chainedApproval': {
			const calls = approvalToolCalls(agent, heard, env.ids);
			writer.think(
				`The user asked for "${heard}". This needs ${calls.map((call) => call.name).join(' and ')}, which require approval.`,
			);
			writer.messages.push(approvalRequestMessage(context, calls));
			return writer.outcome('requires_approval', calls);
		}
	}
}

/** The tool calls the approval agents make; also used to seed a pending approval directly. */
export function approvalToolCalls(agent: AgentRecord, heard: string, ids: IdFactory): ToolCall[] {
	if (agent.behaviour === 'parallelApproval') {
		return [
			{
				name: APPROVAL_TOOL_NAMES.deployRelease,
				arguments: JSON.stringify({ version: heard }),
				tool_call_id: ids.toolCallId(),
			},
			{
				name: APPROVAL_TOOL_NAMES.notifyChannel,
				arguments: JSON.stringify({ channel: '#releases', text: heard }),
				tool_call_id: ids.toolCallId(),
			},
		];
	}
	if (agent.behaviour === 'chainedApproval') {
		return [
			{
				name: APPROVAL_TOOL_NAMES.backupDatabase,
				arguments: JSON.stringify({ database: heard }),
				tool_call_id: ids.toolCallId(),
			},
		];
	}
	return [
		{
			name: APPROVAL_TOOL_NAMES.deleteFile,
			arguments: JSON.stringify({ path: heard }),
			tool_call_id: ids.toolCallId(),
		},
	];
}

/** Schema version the chained agent migrates to once the backup ran. */
export const MIGRATION_TARGET_VERSION = 'latest';

/**
 * The approval an agent asks next, after the calls of the previous request were resolved:
 * the chained agent asks for `migrate_schema` once `backup_database` succeeded. null = the
 * turn ends (every other agent, or the backup was denied or failed).
 */
function followUpApprovalCalls(
	agent: AgentRecord,
	resolved: Array<{ call: ToolCall; item: ToolReturnItem }>,
	ids: IdFactory,
): ToolCall[] | null {
	if (agent.behaviour !== 'chainedApproval' || resolved.length !== 1) return null;
	const [{ call, item }] = resolved;
	if (call.name !== APPROVAL_TOOL_NAMES.backupDatabase || item.status !== 'success') return null;
	const { database } = JSON.parse(call.arguments) as { database: string };
	return [
		{
			name: APPROVAL_TOOL_NAMES.migrateSchema,
			arguments: JSON.stringify({ database, to_version: MIGRATION_TARGET_VERSION }),
			tool_call_id: ids.toolCallId(),
		},
	];
}

/**
 * The turn after an approval answer: run/deny each call, then either one closing assistant
 * message (answering any follow-up messages too), or (the chained agent, after an approved
 * backup) the next approval request.
 */
export function continueAfterApproval(
	agent: AgentRecord,
	toolCalls: ToolCall[],
	answers: ApprovalAnswer[],
	followUps: UserInput[],
	env: TurnEnvironment,
): TurnOutcome {
	const writer = new StepWriter(env);
	const context = writer.step();
	const sentences: string[] = [];
	const resolved: Array<{ call: ToolCall; item: ToolReturnItem }> = [];
	for (const call of toolCalls) {
		const answer = answers.find((candidate) => candidate.tool_call_id === call.tool_call_id);
		if (!answer) continue;
		const { item, sentence } = resolveToolCall(call, answer);
		writer.messages.push(toolReturnMessage(context, item));
		sentences.push(sentence);
		resolved.push({ call, item });
	}
	if (!writer.canTakeAnotherStep) return writer.outcome('max_steps');
	const next = followUpApprovalCalls(agent, resolved, env.ids);
	if (next) {
		const askContext = writer.step();
		writer.think(
			`${resolved.map(({ call }) => call.name).join(' and ')} ran. Next comes ${next.map((call) => call.name).join(' and ')}, which requires approval too.`,
		);
		writer.messages.push(approvalRequestMessage(askContext, next));
		return writer.outcome('requires_approval', next);
	}
	const replyContext = writer.step();
	writer.think('The tool calls are resolved; I will report back.');
	// Messages sent after the approval reach the agent after its tools ran.
	const heard = heardText(followUps);
	if (heard !== '') sentences.push(replyText(agent, heard));
	writer.messages.push(assistantMessage(replyContext, sentences.join('\n')));
	return writer.outcome('end_turn');
}

function resolveToolCall(
	call: ToolCall,
	answer: ApprovalAnswer,
): { item: ToolReturnItem; sentence: string } {
	const base = {
		type: 'tool' as const,
		tool_call_id: call.tool_call_id,
		stdout: null,
		stderr: null,
	};
	if (answer.type === 'tool') {
		const verb = answer.status === 'success' ? 'returned' : 'failed';
		return {
			item: {
				...base,
				tool_return: answer.tool_return,
				status: answer.status,
				stdout: answer.stdout,
				stderr: answer.stderr,
			},
			sentence: `${call.name} ${verb}: ${answer.tool_return}`,
		};
	}
	if (answer.approve) {
		// An environment's approval may replace the arguments the agent proposed.
		const args = answer.updated_input ? JSON.stringify(answer.updated_input) : call.arguments;
		return {
			item: {
				...base,
				tool_return: `Executed ${call.name} with ${args}`,
				status: 'success',
			},
			sentence: `Done: ${call.name} ran with ${args}`,
		};
	}
	const reason = answer.reason ?? '';
	return {
		item: {
			...base,
			tool_return: `Error: request to call tool denied. User reason: ${reason}`,
			status: 'error',
		},
		sentence:
			reason === ''
				? `I did not run ${call.name}: the request was denied (no reason given).`
				: `I did not run ${call.name}: the request was denied with reason "${reason}".`,
	};
}
