/**
 * The real-n8n tooling's public entry: what the demo (`scripts/start.ts`) and the e2e suite
 * (`test/e2e/run.ts`) use to install the pinned n8n, pack and install this package the way n8n
 * does, start the simulator and drive one n8n instance.
 */
export { ensureN8n } from './ensureN8n';
export {
	buildAndPack,
	installTarballAsN8nDoes,
	readPackageJson,
	type InstalledPackage,
	type PackageJson,
} from './communityPackage';
export {
	expectedTypes,
	loadedTypeProblems,
	missingDeclaredFiles,
	registrationProblems,
	unavailableImports,
} from './packageChecks';
export { indexDescriptions, workflowParameterProblems } from './parameterChecks';
export {
	DEMO_OWNER,
	LETTA_CREDENTIAL,
	LETTA_WRONG_KEY_CREDENTIAL,
	REAL_LETTA_CREDENTIAL_NAME,
	WRONG_API_KEY,
} from './fixtures';
export {
	AGENT_IDS,
	SIMULATOR_API_KEY,
	startSimulatorProcess,
	type RunningSimulatorProcess,
} from './simulator';
export {
	FINAL_EXECUTION_STATUSES,
	N8n,
	newEncryptionKey,
	type ExecutionDetails,
	type N8nItem,
	type N8nRun,
	type WorkflowJson,
} from './n8n';
export { cacheDir, n8nInstallDir, repoRoot } from './paths';
export { freePort, preferredPort } from './ports';
export { isShuttingDown, runChecked, stopAll } from './processes';
