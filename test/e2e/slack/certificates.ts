/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runChecked } from '../../n8n';

/**
 * A throwaway certificate authority and a certificate for `slack.com` signed by it, made with
 * `openssl` for one suite run. Only the n8n processes of the suite trust the authority (through
 * NODE_EXTRA_CA_CERTS in their environment): nothing is installed on the machine.
 */
export interface SlackTlsFiles {
	/** The authority's certificate (PEM): the file NODE_EXTRA_CA_CERTS points at. */
	caCertificate: string;
	/** The `slack.com` certificate and its key (PEM), for the stand-in's TLS server. */
	certificate: string;
	key: string;
}

export const SLACK_API_HOST = 'slack.com';

export async function makeSlackTlsFiles(dir: string): Promise<SlackTlsFiles> {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	const file = (name: string): string => path.join(dir, name);
	const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	await runChecked('openssl (CA)', 'openssl', [
		'req',
		'-x509',
		...ecKey,
		'-keyout',
		file('ca.key'),
		'-out',
		file('ca.pem'),
		'-days',
		'2',
		'-subj',
		'/CN=n8n-nodes-letta e2e throwaway CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
	]);
	await runChecked('openssl (request)', 'openssl', [
		'req',
		...ecKey,
		'-keyout',
		file('slack.key'),
		'-out',
		file('slack.csr'),
		'-subj',
		`/CN=${SLACK_API_HOST}`,
	]);
	fs.writeFileSync(
		file('slack.ext'),
		`subjectAltName=DNS:${SLACK_API_HOST}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
	);
	await runChecked('openssl (sign)', 'openssl', [
		'x509',
		'-req',
		'-in',
		file('slack.csr'),
		'-CA',
		file('ca.pem'),
		'-CAkey',
		file('ca.key'),
		'-CAcreateserial',
		'-out',
		file('slack.pem'),
		'-days',
		'2',
		'-extfile',
		file('slack.ext'),
	]);
	// the authority signs nothing else: its key is not kept
	fs.rmSync(file('ca.key'));
	return {
		caCertificate: file('ca.pem'),
		certificate: fs.readFileSync(file('slack.pem'), 'utf8'),
		key: fs.readFileSync(file('slack.key'), 'utf8'),
	};
}
