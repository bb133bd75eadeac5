/**
 * The run data of one execution, as n8n prints it (`n8n execute --rawOutput`) and serves it
 * (`GET /rest/executions/{id}`): what the e2e expectations are checked against.
 */

export interface N8nItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
	error?: { message?: string; description?: string; [key: string]: unknown };
	[key: string]: unknown;
}

export interface N8nErrorJson {
	message: string;
	description?: string | null;
	name?: string;
	node?: { name?: string; type?: string };
	httpCode?: string | null;
	[key: string]: unknown;
}

export interface N8nTaskData {
	startTime?: number;
	executionTime?: number;
	executionStatus?: string;
	data?: { main?: Array<N8nItem[] | null> };
	error?: N8nErrorJson;
	[key: string]: unknown;
}

export interface N8nRun {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, N8nTaskData[]>;
			error?: N8nErrorJson;
			lastNodeExecuted?: string;
		};
	};
	[key: string]: unknown;
}
