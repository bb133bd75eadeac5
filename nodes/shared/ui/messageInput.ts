/**
 * The Message Input selector both sending nodes have: its parameter name, the Answer Approval
 * choice they share, and the display rules built on them.
 */
export const MESSAGE_INPUT_PARAMETER = 'messageInput';
export const ANSWER_APPROVAL_INPUT = 'answerApproval';

export const showForMessageInput = (...modes: string[]) => ({
	show: { [MESSAGE_INPUT_PARAMETER]: modes },
});

/** An approval answer goes to the scope that asked, which its answer_to block names. */
export const hiddenWhenAnsweringApproval = {
	hide: { [MESSAGE_INPUT_PARAMETER]: [ANSWER_APPROVAL_INPUT] },
};
