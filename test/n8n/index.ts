/**
 * The real-n8n tooling's public entry: what the demo (`scripts/start.ts`) and the e2e suite
 * (`test/e2e/run.ts`) use to install the pinned n8n, pack and install this package the way n8n
 * does, start the simulator and drive one n8n instance. README.md maps the files.
 */
export { ensureN8n, node24NpmEnv } from './ensureN8n';
export {
	buildAndPack,
	installTarballAsN8nDoes,
	readPackageJson,
	type InstalledPackage,
	type PackageJson,
} from './communityPackage';
export {
	communityListingProblems,
	expectedTypes,
	loadedTypeProblems,
	missingDeclaredFiles,
	registrationProblems,
	unavailableImports,
} from './packageChecks';
export { indexDescriptions, workflowParameterProblems } from './parameterChecks';
export { installAsReadmeSays, readmeInstallCommands } from './userInstall';
export { publishOutsideCiProblems } from './publishGuard';
export {
	DEMO_OWNER,
	LETTA_CREDENTIAL,
	LETTA_DROP_ONCE_CREDENTIAL,
	LETTA_IDLE_CUT_CREDENTIAL,
	LETTA_WRONG_BASE_URL_CREDENTIAL,
	LETTA_WRONG_KEY_CREDENTIAL,
	REAL_LETTA_CREDENTIAL_NAME,
	WRONG_API_KEY,
	WRONG_BASE_URL_PATH,
} from './fixtures';
export {
	AGENT_IDS,
	SIMULATOR_API_KEY,
	startSimulatorProcess,
	type RunningSimulatorProcess,
} from './simulator';
export { N8n } from './instance/N8n';
export {
	callStreamingWebhook,
	streamedReply,
	type StreamedAnswer,
	type StreamedReply,
	type TimedChunk,
} from './instance/streamedAnswer';
export { newEncryptionKey, type N8nOptions, type N8nRole } from './instance/options';
export { QueueCluster, type QueueProcess } from './queue/cluster';
export {
	describeExecution,
	FINAL_EXECUTION_STATUSES,
	type ExecutionDetails,
} from './instance/executions';
export type { WorkflowJson } from './instance/import';
export type { N8nItem, N8nRun } from './instance/runData';
export { cacheDir, n8nInstallDir, repoRoot } from './paths';
export { freePort, preferredPort } from './ports';
export { isShuttingDown, onShutdown, runChecked, stopAll } from './processes';
export { runCheck, seconds, type CheckOutcome } from './checks';
export { readUntil, sleep, waitFor } from './polling';
