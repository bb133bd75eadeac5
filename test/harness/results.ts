import type {
	ExecutionBaseError,
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	IRun,
	ITaskData,
} from 'n8n-workflow';

/** What runWorkflow returns: n8n's own IRun plus what the harness observed around it. */
export interface WorkflowRunResult {
	run: IRun;
	/** The execution's error when it failed (a node threw and did not continue on fail). */
	error: ExecutionBaseError | undefined;
	/** The workflow static data after the run (node data under `node:<node name>`). */
	staticData: IDataObject;
	/** Node names in the order their runs finished. */
	nodeExecutionOrder: string[];
	/** Credential data after the run, as updated by preAuthentication if any. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

type RunSource = IRun | WorkflowRunResult;

function toRun(source: RunSource): IRun {
	return 'run' in source ? source.run : source;
}

function describeRun(run: IRun): string {
	const ran = Object.keys(run.data.resultData.runData);
	const failure = run.data.resultData.error;
	return `nodes that ran: [${ran.join(', ')}]${failure ? `; execution error: ${failure.message}` : ''}`;
}

/** The task data of one run of a node; throws, naming what did run, if it never ran. */
export function taskOf(source: RunSource, nodeName: string, runIndex = 0): ITaskData {
	const run = toRun(source);
	const task = run.data.resultData.runData[nodeName]?.[runIndex];
	if (task === undefined) {
		throw new Error(`Node "${nodeName}" has no run ${runIndex}; ${describeRun(run)}`);
	}
	return task;
}

/**
 * The items a node put on one of its main outputs. Throws if the node failed (rather than
 * returning nothing), so a test cannot mistake an error for an empty output.
 */
export function outputOf(
	source: RunSource,
	nodeName: string,
	outputIndex = 0,
	runIndex = 0,
): INodeExecutionData[] {
	const task = taskOf(source, nodeName, runIndex);
	if (task.error) {
		throw new Error(`Node "${nodeName}" failed: ${task.error.message}`, { cause: task.error });
	}
	return task.data?.main?.[outputIndex] ?? [];
}

/** Only the JSON of each item on the output, for terse assertions. */
export function jsonOf(source: RunSource, nodeName: string, outputIndex = 0): IDataObject[] {
	return outputOf(source, nodeName, outputIndex).map((item) => item.json);
}

/** The error an execution ended with, if any. */
export function errorOf(source: RunSource): ExecutionBaseError | undefined {
	return toRun(source).data.resultData.error;
}

/** The error one node's run ended with, if any. */
export function nodeErrorOf(
	source: RunSource,
	nodeName: string,
	runIndex = 0,
): ExecutionBaseError | undefined {
	return taskOf(source, nodeName, runIndex).error;
}
