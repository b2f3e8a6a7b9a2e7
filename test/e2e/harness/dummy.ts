import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packFolder } from './package';

/**
 * A minimal community package (plain JS, no build) to prove that n8n loads packages from
 * $N8N_USER_FOLDER/.n8n/nodes on a line, independently of the real package's state.
 * Its node requires the `n8n-workflow` peer (resolved from n8n's own node_modules, like the
 * real package) and its credential has a `test` request, for /rest/credentials/test.
 */
export const DUMMY_PACKAGE = 'n8n-nodes-e2e-dummy';
export const DUMMY_NODE_TYPE = `${DUMMY_PACKAGE}.e2eDummy`;
export const DUMMY_CREDENTIAL_TYPE = 'e2eDummyApi';

const NODE_JS = `'use strict';
const { NodeOperationError } = require('n8n-workflow');

class E2eDummy {
	constructor() {
		this.description = {
			displayName: 'E2E Dummy',
			name: 'e2eDummy',
			group: ['transform'],
			version: 1,
			description: 'Harness check node',
			defaults: { name: 'E2E Dummy' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'e2eDummyApi', required: false }],
			properties: [{ displayName: 'Greeting', name: 'greeting', type: 'string', default: 'hello' }],
		};
	}

	async execute() {
		const items = this.getInputData();
		return [
			items.map((item, i) => ({
				json: {
					...item.json,
					greeting: this.getNodeParameter('greeting', i),
					fromDummy: true,
					peerResolved: typeof NodeOperationError === 'function',
				},
			})),
		];
	}
}

module.exports = { E2eDummy };
`;

const CREDENTIAL_JS = `'use strict';

class E2eDummyApi {
	constructor() {
		this.name = 'e2eDummyApi';
		this.displayName = 'E2E Dummy API';
		this.properties = [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
		];
		this.authenticate = {
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
		};
		this.test = { request: { baseURL: '={{$credentials.baseUrl}}', url: '/check' } };
	}
}

module.exports = { E2eDummyApi };
`;

/** Write the dummy package to a temp folder and `npm pack` it; returns the tarball path. */
export async function makeDummyTarball(): Promise<string> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-dummy-src-'));
	fs.mkdirSync(path.join(dir, 'dist', 'nodes'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'dist', 'credentials'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'dist', 'nodes', 'E2eDummy.node.js'), NODE_JS);
	fs.writeFileSync(
		path.join(dir, 'dist', 'credentials', 'E2eDummyApi.credentials.js'),
		CREDENTIAL_JS,
	);
	const manifest = {
		name: DUMMY_PACKAGE,
		version: '0.0.1',
		license: 'MIT',
		keywords: ['n8n-community-node-package'],
		files: ['dist'],
		n8n: {
			n8nNodesApiVersion: 1,
			nodes: ['dist/nodes/E2eDummy.node.js'],
			credentials: ['dist/credentials/E2eDummyApi.credentials.js'],
		},
		peerDependencies: { 'n8n-workflow': '*' },
	};
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
	return await packFolder(dir);
}
