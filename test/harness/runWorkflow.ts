/**
 * The test harness: runs this package's nodes inside real n8n-core executions.
 * See test/harness/README.md for what is real and what stands in for n8n's CLI.
 */
export { runWorkflow, type RunWorkflowOptions } from './manualExecution';
export { outputOf, jsonOf, errorOf, nodeErrorOf, taskOf, type WorkflowRunResult } from './results';
export { ItemsTrigger, itemsTriggerNode, type TestItem } from './ItemsTrigger';
export { nodeTypeName, type NodeTypeSource } from './nodeTypes';
export type { CredentialTypeSource } from './credentialTypes';
export type { CredentialsByType } from './credentialsHelper';
export { workflowNode, chain } from './workflowBuilders';
export { testCredential } from './testCredential';
export { runPoll, type PollMode, type PollRunResult, type RunPollOptions } from './runPoll';
