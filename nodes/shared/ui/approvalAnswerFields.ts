import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** The UI of an approval answer, shared by Send Agent Message and Send to Environment. */

export const ANSWER_KIND = { decision: 'decision', toolReturn: 'toolReturn' } as const;

/** The UI of an approval answer; `withUpdatedInput` adds the environment-only `updated_input`. */
export function approvalAnswerProperties(
	displayOptions: IDisplayOptions,
	{ withUpdatedInput = false, withOutput = false } = {},
): INodeProperties[] {
	const show = (extra: NonNullable<IDisplayOptions['show']> = {}): IDisplayOptions => ({
		...displayOptions,
		show: { ...displayOptions.show, ...extra },
	});
	const properties: INodeProperties[] = [
		{
			displayName: 'Approval Request',
			name: 'answerTo',
			type: 'json',
			default: '={{ $json.answer_to }}',
			required: true,
			displayOptions: show(),
			description:
				'Which request to answer: the "answer_to" block of a Letta Trigger item or of the Needs Approval output (agent, conversation and tool call IDs). The default maps it from the input item.',
		},
		{
			displayName: 'Answer',
			name: 'answerKind',
			type: 'options',
			default: 'decision',
			displayOptions: show(),
			options: [
				{
					name: 'Approve or Deny',
					value: ANSWER_KIND.decision,
					description: 'Let the agent run the tool, or refuse with a reason',
				},
				{
					name: 'Provide Tool Result',
					value: ANSWER_KIND.toolReturn,
					description: 'Run the tool yourself and hand the agent its result',
				},
			],
		},
		{
			displayName: 'Approve',
			name: 'approve',
			type: 'boolean',
			default: true,
			displayOptions: show({ answerKind: [ANSWER_KIND.decision] }),
			description:
				'Whether to let the agent run the tool. Map a human decision here, e.g. the approved field of a Slack or form response.',
		},
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'string',
			default: '',
			displayOptions: show({ answerKind: [ANSWER_KIND.decision] }),
			description: 'Optional. Why, as the agent will read it (most useful with a denial).',
		},
		{
			displayName: 'Tool Result',
			name: 'toolReturn',
			type: 'string',
			default: '',
			typeOptions: { rows: 3 },
			displayOptions: show({ answerKind: [ANSWER_KIND.toolReturn] }),
			description: 'What the tool returned, as the agent will read it',
		},
		{
			displayName: 'Tool Status',
			name: 'toolStatus',
			type: 'options',
			default: 'success',
			displayOptions: show({ answerKind: [ANSWER_KIND.toolReturn] }),
			options: [
				{ name: 'Success', value: 'success' },
				{ name: 'Error', value: 'error' },
			],
		},
	];
	if (withOutput) {
		properties.push(
			{
				displayName: 'Stdout',
				name: 'toolStdout',
				type: 'string',
				default: '',
				displayOptions: show({ answerKind: [ANSWER_KIND.toolReturn] }),
				description: 'Optional. Standard output of the tool run, one line per entry.',
			},
			{
				displayName: 'Stderr',
				name: 'toolStderr',
				type: 'string',
				default: '',
				displayOptions: show({ answerKind: [ANSWER_KIND.toolReturn] }),
				description: 'Optional. Standard error of the tool run, one line per entry.',
			},
		);
	}
	if (withUpdatedInput) {
		properties.push({
			displayName: 'Updated Input (JSON)',
			name: 'updatedInput',
			type: 'json',
			default: '',
			displayOptions: show({ answerKind: [ANSWER_KIND.decision] }),
			description:
				'Optional. New arguments for the tool call, replacing the ones the agent proposed (approvals only).',
		});
	}
	properties.push({
		displayName: 'Answers per Tool Call (JSON)',
		name: 'perCallAnswers',
		type: 'json',
		default: '',
		displayOptions: show(),
		description:
			'Optional, for parallel tool calls. An object keyed by tool_call_id, each {"approve": true|false, "reason": "..."} or {"tool_return": "...", "status": "success"|"error"}. Calls not named get the answer above.',
	});
	return properties;
}
