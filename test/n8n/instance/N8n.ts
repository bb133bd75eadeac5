/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';

import { activateWorkflow, deactivateWorkflow, publishWorkflow } from './activation';
import { callUrl, webhookUrl } from './browser';
import { N8nCli } from './cli';
import {
	listCommunityPackages,
	readPackageRecord,
	sqliteDatabasePath,
	writePackageRecord,
	type InstalledPackageRecord,
	type ListedCommunityPackage,
} from './communityPackages';
import { testCredential, type CredentialTestResult, type CredentialToTest } from './credentialTest';
import { executeWorkflow, type ExecuteResult } from './execute';
import {
	getExecution,
	listExecutions,
	type ExecutionDetails,
	type ExecutionSummary,
} from './executions';
import {
	existingWorkflowIds,
	importCredentials,
	importWorkflows,
	type CredentialToImport,
	type WorkflowJson,
} from './import';
import {
	credentialTypes,
	nodeTypes,
	type CredentialTypeDescription,
	type NodeTypeDescription,
} from './loadedTypes';
import type { N8nLogLine } from './log';
import type { N8nOptions } from './options';
import { ensureOwner, type Owner } from './owner';
import { RestSession, type HttpAnswer, type HttpMethod } from './restSession';
import { N8nServer } from './server';

/**
 * One n8n instance: a user folder (database, encryption key, installed community packages),
 * driven through its CLI (`cli`), its `n8n start` process (`server`) and, once that runs, its
 * REST API (`session`). A facade only: each method hands over to the module that does the job,
 * so the demo and the e2e suite hold one object per instance.
 */
export class N8n {
	readonly cli: N8nCli;

	readonly server: N8nServer;

	readonly session: RestSession;

	constructor(readonly options: N8nOptions) {
		fs.mkdirSync(options.userFolder, { recursive: true });
		this.cli = new N8nCli(options);
		this.server = new N8nServer(options);
		this.session = new RestSession(this.server.baseUrl);
	}

	// CLI: run with or without a started server

	async importCredentials(credentials: CredentialToImport[]): Promise<void> {
		await importCredentials(this.cli, credentials);
	}

	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		await importWorkflows(this.cli, workflows);
	}

	async existingWorkflowIds(candidates: string[]): Promise<Set<string>> {
		return await existingWorkflowIds(this.cli, candidates);
	}

	async publishWorkflow(id: string): Promise<void> {
		await publishWorkflow(this.cli, id);
	}

	async execute(id: string, timeoutSeconds?: number): Promise<ExecuteResult> {
		return await executeWorkflow(this.cli, id, timeoutSeconds);
	}

	/**
	 * Records the community package installed in `packageDirectory` as n8n records one it
	 * installed (Settings > Community nodes lists it). Before `start`: n8n reads it at start.
	 */
	async recordCommunityPackage(packageDirectory: string): Promise<InstalledPackageRecord> {
		// any command creates and migrates the database
		if (!fs.existsSync(sqliteDatabasePath(this.options.userFolder)))
			await this.cli.runChecked(['list:workflow', '--onlyId']);
		const record = await readPackageRecord(packageDirectory);
		writePackageRecord(this.options.userFolder, record);
		return record;
	}

	// the server process

	async start(timeoutSeconds?: number): Promise<void> {
		await this.server.start(timeoutSeconds);
	}

	async stop(): Promise<void> {
		await this.server.stop();
		this.session.forget();
	}

	async serverExited(): Promise<number | string> {
		return await this.server.exited();
	}

	logLines(): N8nLogLine[] {
		return this.server.logLines();
	}

	// the REST API of the started server

	async rest<T>(method: HttpMethod, urlPath: string, body?: unknown): Promise<HttpAnswer<T>> {
		return await this.session.call<T>(method, urlPath, body);
	}

	async ensureOwner(owner: Owner): Promise<'created' | 'existing'> {
		return await ensureOwner(this.session, owner);
	}

	async testCredential(credential: CredentialToTest): Promise<CredentialTestResult> {
		return await testCredential(this.session, credential);
	}

	async nodeTypes(): Promise<NodeTypeDescription[]> {
		return await nodeTypes(this.session);
	}

	async credentialTypes(): Promise<CredentialTypeDescription[]> {
		return await credentialTypes(this.session);
	}

	async communityPackages(): Promise<ListedCommunityPackage[]> {
		return await listCommunityPackages(this.session);
	}

	async executions(workflowId: string, status?: string[]): Promise<ExecutionSummary[]> {
		return await listExecutions(this.session, workflowId, status);
	}

	async execution(id: string): Promise<ExecutionDetails> {
		return await getExecution(this.session, id);
	}

	async activateWorkflow(id: string): Promise<void> {
		await activateWorkflow(this.session, id);
	}

	async deactivateWorkflow(id: string): Promise<void> {
		await deactivateWorkflow(this.session, id);
	}

	// as a person's browser: no session

	async callUrl(
		url: string,
		method?: 'GET' | 'POST',
		body?: unknown,
	): Promise<HttpAnswer<unknown>> {
		return await callUrl(url, method, body);
	}

	/** Calls a production webhook of a published workflow (`/webhook/<path>`). */
	async callWebhook(
		webhookPath: string,
		body: unknown,
		method: 'GET' | 'POST' = 'POST',
	): Promise<HttpAnswer<unknown>> {
		return await callUrl(webhookUrl(this.server.baseUrl, webhookPath), method, body);
	}
}
