// Lints the published code and package.json with n8n's two community-node rule sets.
import tsParser from '@typescript-eslint/parser';
import jsoncParser from 'jsonc-eslint-parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const community = n8nCommunityNodesPlugin.configs.recommended;

/**
 * The only rules turned off. They forbid runtime dependencies and importing them, because n8n
 * Cloud installs none. This package targets self-hosted n8n, which installs a community
 * package's dependencies; it is built on @microsoft/microsoft-graph-client (Graph transport)
 * and @azure/msal-node (token protocol) by design.
 */
const runtimeDependencyRules = {
	'@n8n/community-nodes/no-restricted-imports': 'off',
	'@n8n/community-nodes/no-runtime-dependencies': 'off',
};

/**
 * Two rules of eslint-plugin-n8n-nodes-base contradict the rule sets this package must pass, so
 * no code can satisfy both; each is turned off where it clashes, and only there:
 * - cred-class-field-documentation-url-miscased wants a camel-cased slug, "only applicable to
 *   nodes in the main repository" (its own description), while cred-class-field-documentation-
 *   url-not-http-url, in the same set, demands an http URL from community credentials.
 * - node-class-description-inputs-wrong-regular-node and -outputs-wrong recognise only the
 *   string literal 'main', which @n8n/community-nodes/node-connection-type-literal forbids in
 *   favour of NodeConnectionTypes.Main.
 */
const contradictoryRules = {
	'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
	'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
	'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
};

const plugins = { 'n8n-nodes-base': n8nNodesBase, ...community.plugins };

export default [
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'test/**',
			'simulator/**',
			'harness/**',
			'scripts/**',
			'bench/**',
			'examples/**',
			'docs/**',
			'.e2e/**',
			'.tmp/**',
			'index.js',
			'eslint.config.mjs',
		],
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins,
		rules: {
			...n8nNodesBase.configs.community.rules,
			...community.rules,
			...runtimeDependencyRules,
		},
	},
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts', 'lib/**/*.ts'],
		languageOptions: {
			parser: tsParser,
			parserOptions: { ecmaVersion: 'latest', sourceType: 'module' },
		},
		plugins,
		rules: { ...community.rules, ...runtimeDependencyRules },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: { ...n8nNodesBase.configs.credentials.rules, ...contradictoryRules },
	},
	{
		files: ['nodes/**/*.ts'],
		rules: { ...n8nNodesBase.configs.nodes.rules, ...contradictoryRules },
	},
];
