/**
 * What an agent says, deterministically: no LLM. Each function returns the agent's
 * messages for one turn plus the stop reason; the caller stores them and builds the response.
 */
import { APPROVAL_TOOL_NAMES, RESEARCH_TOOL_NAME } from './fixtures';
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
		case 'approval':
		case 'parallelApproval': {
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
	return [
		{
			name: APPROVAL_TOOL_NAMES.deleteFile,
			arguments: JSON.stringify({ path: heard }),
			tool_call_id: ids.toolCallId(),
		},
	];
}

/** The turn after an approval answer: run/deny each call, then one closing assistant message. */
export function continueAfterApproval(
	toolCalls: ToolCall[],
	answers: ApprovalAnswer[],
	env: TurnEnvironment,
): TurnOutcome {
	const writer = new StepWriter(env);
	const context = writer.step();
	const sentences: string[] = [];
	for (const call of toolCalls) {
		const answer = answers.find((candidate) => candidate.tool_call_id === call.tool_call_id);
		if (!answer) continue;
		const { item, sentence } = resolveToolCall(call, answer);
		writer.messages.push(toolReturnMessage(context, item));
		sentences.push(sentence);
	}
	if (!writer.canTakeAnotherStep) return writer.outcome('max_steps');
	const replyContext = writer.step();
	writer.think('The tool calls are resolved; I will report back.');
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
		return {
			item: {
				...base,
				tool_return: `Executed ${call.name} with ${call.arguments}`,
				status: 'success',
			},
			sentence: `Done: ${call.name} ran with ${call.arguments}`,
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
