import { type IDataObject, type INode } from 'n8n-workflow';

import { additionalFieldsField } from '../../descriptions/common';
import { checkPromptFormatField, promptUrlField } from '../../descriptions/mediaFields';
import {
	promptSourceFields,
	promptTextField,
	spokenVoiceFields,
} from '../../descriptions/promptFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { pstnCallBody } from '../../helpers/callBodies/pstnCall';
import { peerToPeerCallBody } from '../../helpers/callBodies/userCalls';
import { InputProblem } from '../../helpers/inputProblem';
import { readNumber } from '../../helpers/optionValues';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { readKeypressOptions, KEYPRESS_LIMITS } from './keypressOptions';
import { linkToken } from '../../../../lib/entra/linkTokens';
import { readPromptSource } from './promptSource';
import { waitingCallbackUrl } from './waitingUrls';
import { checkPrompt, wantsPromptCheck } from '../media/promptCheck';
import type { Operation } from '../../engine/operation';

/**
 * How n8n runs a node used as an AI tool (type "…Tool"). The AI Agent node from version 3 asks
 * n8n's engine to run the tool node as a step of the execution (it marks the node
 * `rewireOutputLogTo: "ai_tool"`); such a step can put the execution to wait like any node, and
 * the item the waiting webhook resumes with goes back to the agent as the tool's answer. Older
 * agents and other tool callers run the tool inline inside their own step, where an execution
 * cannot wait: the call would ring with nobody listening for the answer.
 */
function runsInsideAnotherNodesStep(node: INode): boolean {
	const rewired = (node as INode & { rewireOutputLogTo?: unknown }).rewireOutputLogTo;
	return node.type.endsWith('Tool') && rewired !== 'ai_tool';
}

/**
 * Call and wait for keypress: places a call whose callback URL is this node's waiting webhook
 * (n8n's send-and-wait mechanics, see keypress/keypressWebhook.ts), then puts the execution to
 * wait. The webhook resumes it with the outcome it saw; every outcome comes from Graph's
 * notifications (the last prompt played is "timeout"), because n8n runs nothing of this node
 * when a wait ends by time.
 */
export const callAndWaitForKeypress: Operation = {
	value: 'callAndWaitForKeypress',
	name: 'Call and Wait for Keypress',
	action: 'Call and wait for a keypress',
	summary:
		'Call a person, play a prompt and wait until they press a key, decline, hang up or time out',
	permissions: [
		{ roles: ACTION_ROLES.peerToPeer.roles, alsoNeeds: ACTION_ROLES.subscribeToTone.roles },
	],
	fields: [
		{
			displayName:
				"Calls one person, plays the prompt when they answer and goes on when they press an accepted key, decline, do not answer, hang up, or heard the prompt Repeat Prompt times without pressing one. Graph posts the call's events to this node's waiting URL: n8n must be reachable at a public https URL (WEBHOOK_URL), as for the trigger. The app needs Calls.Initiate.All and Calls.AccessMedia.All. One call per execution: give it one input item.",
			name: 'keypressNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Call',
			name: 'keypressTarget',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Teams User', value: 'teamsUser' },
				{ name: 'Phone Number', value: 'phoneNumber' },
			],
			default: 'teamsUser',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 278405a3-f568-4b3e-b684-009193463064',
			description: "The Teams user's Entra object ID",
			displayOptions: { show: { keypressTarget: ['teamsUser'] } },
		},
		{
			displayName: 'Phone Number',
			name: 'phoneNumber',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. +12345678901',
			description: 'The number to call, in E.164',
			displayOptions: { show: { keypressTarget: ['phoneNumber'] } },
		},
		{
			displayName: 'Resource Account ID',
			name: 'applicationInstanceId',
			type: 'string',
			required: true,
			default: '',
			description:
				'Object ID of the Teams resource account (application instance) with a phone number, linked to this app, that the call comes from',
			displayOptions: { show: { keypressTarget: ['phoneNumber'] } },
		},
		...promptSourceFields({
			choices: ['text', 'url', 'binary'],
			legacyDefault: 'url',
			newDefault: 'text',
		}),
		promptTextField({ promptSource: ['text'] }),
		...spokenVoiceFields({ promptSource: ['text'] }),
		{
			...promptUrlField(
				'promptUrl',
				'Prompt URL',
				'HTTPS URL of the WAV file played when the call is answered, e.g. "Production is down. Press 1 to acknowledge."',
			),
			required: true,
			displayOptions: { show: { promptSource: ['url'] } },
		},
		{
			displayName: 'Input Binary Field',
			name: 'promptBinaryField',
			type: 'string',
			required: true,
			default: 'data',
			hint: 'The name of the input binary field holding the WAV prompt',
			description:
				"The prompt must be WAV, mono, 16-bit, 16 kHz; it is checked before anyone is called. Graph downloads it from this node's waiting URL at a link only the credential can make, which works only while the execution waits.",
			displayOptions: { show: { promptSource: ['binary'] } },
		},
		additionalFieldsField([
			{
				displayName: 'Accepted Keys',
				name: 'acceptedKeys',
				type: 'string',
				default: '1',
				placeholder: 'e.g. 1#',
				description: 'Keys that acknowledge (0-9, *, #); other keys are ignored',
			},
			checkPromptFormatField,
			{
				displayName: 'Hang Up When Done',
				name: 'hangUpWhenDone',
				type: 'boolean',
				default: true,
				description:
					'Whether to end the call when the node goes on while the call is still up: an accepted key was pressed, the prompt was played Repeat Prompt times without one, or it could not be played',
			},
			{
				displayName: 'Repeat Prompt',
				name: 'repeatPrompt',
				type: 'number',
				typeOptions: {
					minValue: KEYPRESS_LIMITS.repeatPrompt.min,
					maxValue: KEYPRESS_LIMITS.repeatPrompt.max,
					numberPrecision: 0,
				},
				default: 2,
				description:
					'How many times the prompt is played while nobody presses an accepted key. After the last one the node goes on with outcome "timeout". To give more time to answer, end the WAV with a few seconds of silence.',
			},
			{
				displayName: 'Give Up After (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: {
					minValue: KEYPRESS_LIMITS.timeoutSeconds.min,
					maxValue: KEYPRESS_LIMITS.timeoutSeconds.max,
					numberPrecision: 0,
				},
				default: 120,
				description:
					"The longest the execution waits, should Graph's notifications stop reaching n8n. Then n8n goes on with this node's input item unchanged (as for every waiting node: no outcome field), and the call is not hung up.",
			},
		]),
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute(context, item, options) {
		const { functions, settings, transport } = context;
		if (runsInsideAnotherNodesStep(functions.getNode())) {
			throw new InputProblem(
				'Operation',
				'Call and Wait for Keypress can be an AI agent tool only under the AI Agent node (version 3 or later): this tool was called inside another node’s step, where n8n cannot wait for Graph’s callbacks, so nobody would hear the answer. Nobody was called.',
				'Use the AI Agent node, version 3 or later (what n8n adds today), or page with this node in the workflow after the agent (its output goes on with the outcome).',
			);
		}
		if (item.index > 0 || functions.getInputData().length > 1) {
			throw new InputProblem(
				'Input',
				`has ${functions.getInputData().length} items; Call and Wait for Keypress places one call per execution. Split the items (e.g. Loop Over Items) or keep only one.`,
			);
		}
		const target = item.param('keypressTarget', 'teamsUser');
		const extra = item.param('additionalFields', {}) as Record<string, unknown>;
		const keypress = readKeypressOptions(extra);
		const timeoutSeconds = readNumber(extra.timeoutSeconds, {
			field: 'Additional Fields › Give Up After (Seconds)',
			...KEYPRESS_LIMITS.timeoutSeconds,
			whole: true,
		});
		// The waiting webhook of this node in this execution: n8n's resume URL and the node's ID.
		const resumeUrl = functions.evaluateExpression('{{ $execution.resumeUrl }}', item.index);
		if (typeof resumeUrl !== 'string' || !resumeUrl.startsWith('https://')) {
			throw new InputProblem(
				'Call and Wait for Keypress',
				`needs n8n at a public https URL: Graph posts the call's events only to https, and this execution's waiting URL is "${String(resumeUrl)}".`,
				'Set WEBHOOK_URL to the https address at which the internet reaches n8n (a reverse proxy with a certificate, or a tunnel), as for the Microsoft Graph Calls Trigger.',
			);
		}
		const startedAt = Date.now();
		const nodeId = functions.getNode().id;
		const callbackUri = waitingCallbackUrl(
			resumeUrl,
			nodeId,
			String(startedAt),
			linkToken(settings, 'callback', [functions.getExecutionId(), nodeId, String(startedAt)]),
		);
		const source = await readPromptSource(functions, item.index);
		const check =
			source.kind === 'url' && wantsPromptCheck(extra) && !options.request.dryRun
				? await checkPrompt(functions, source.url, 'Prompt URL')
				: source.kind === 'binary'
					? source.check
					: undefined;
		const basics = { callbackUri, requestedModalities: ['audio'] };
		const phone = target === 'phoneNumber';
		const body = phone
			? pstnCallBody({
					basics,
					applicationInstanceId: item.param('applicationInstanceId'),
					applicationInstanceDisplayName: undefined,
					phoneNumber: item.param('phoneNumber'),
					tenantId: '',
					credentialTenantId: settings.tenantId,
				})
			: peerToPeerCallBody({
					basics,
					targets: [{ type: 'user', id: item.param('userId') }],
					botDisplayName: undefined,
					clientId: settings.clientId,
					version: options.request.version,
				});
		const result = await transport.request(
			{ method: 'POST', path: '/communications/calls', body },
			options.request,
			phone ? ACTIONS.pstn : ACTIONS.peerToPeer,
			item.index,
		);
		if (!result.sent) return result.json;
		const callId = typeof result.json.id === 'string' ? result.json.id : null;
		await functions.putExecutionToWait(new Date(startedAt + timeoutSeconds * 1000));
		// Shown in the editor while the execution waits. n8n drops it when the execution goes on:
		// the webhook's item replaces it, and when Timeout (Seconds) passes first n8n continues
		// with this node's input item (its rule for every waiting node).
		const output: IDataObject = {
			outcome: 'waiting',
			callId,
			acceptedKeys: keypress.acceptedKeys,
			waitingUntil: new Date(startedAt + timeoutSeconds * 1000).toISOString(),
		};
		if (check) output.promptChecks = [check];
		if (source.kind === 'text') output.spokenPrompts = [source.spoken];
		return output;
	},
};
