import type { IDataObject, INode } from 'n8n-workflow';

import { InputProblem } from '../../helpers/inputProblem';
import { readNumber } from '../../helpers/optionValues';
import { ACTION_ROLES } from '../../engine/actionProfiles';
import type { Operation, OperationContext } from '../../engine/operation';
import type { RequestSettings } from '../../transport/types';
import { checkPrompt, wantsPromptCheck } from '../media/promptCheck';
import { keypressFields } from './keypressFields';
import { KEYPRESS_LIMITS, readKeypressOptions } from './keypressOptions';
import {
	attemptCallbackUrl,
	callRequest,
	keepCallsPlacedAtOnce,
	placeCall,
	type GraphAccess,
} from './pageCalls';
import { menuSpeech, spokenKey } from './pageMenu';
import { readPagePlan, type PagePlan, type PageState } from './pagePlan';
import { pageMessages, readPromptSource, saysMenu } from './promptSource';
import { readWaitLimit } from './waitLimit';

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

/** What the page does on each outcome, for Dry Run and for the editor while it waits. */
function outcomePlan(plan: PagePlan): IDataObject {
	const next =
		plan.order === 'allAtOnce'
			? 'the others keep ringing; the page ends when all calls are over'
			: plan.people.length * plan.rounds > 1
				? 'the next person is called at once'
				: 'the node goes on';
	return {
		pressed: 'a key on the menu: the node goes on with it (the other calls end)',
		wrongKey: plan.version >= 3 ? '"That is not an option", then the menu again' : 'ignored',
		declined: next,
		unanswered: next,
		hungUp: next,
		noConfirmation:
			plan.version >= 3 && plan.confirmPresence
				? `phones only: nobody pressed a key to hear the alert (a voicemail box?): ${next}`
				: 'not checked',
		timeout: `the menu was played Repeat Prompt times without a key: ${next}`,
		limitWaitTime: "passed first: n8n goes on with this node's input item unchanged",
	};
}

/** The page in words, as the waiting item and a dry run show it. */
function pageSummary(plan: PagePlan, menu: ReturnType<typeof readKeypressOptions>['menu']) {
	return {
		people: plan.people.map((person) => ({
			type: person.kind === 'phone' ? 'phoneNumber' : 'teamsUser',
			id: person.id,
			...(person.name ? { displayName: person.name } : {}),
		})),
		callOrder: plan.order,
		rounds: plan.rounds,
		menu: menu.choices.map((choice) => ({
			key: choice.key,
			label: choice.label,
			action: choice.action,
			...(choice.approved !== undefined ? { approved: choice.approved } : {}),
		})),
		...(plan.version >= 3 ? { repeatKey: spokenKey('*') } : {}),
	};
}

/** The first calls: the first person in turn, or everyone at once (their IDs kept). */
async function placeFirstCalls(
	context: OperationContext,
	graph: GraphAccess,
	plan: PagePlan,
	resourceAccountId: unknown,
): Promise<Array<string | null>> {
	const { functions } = context;
	const legacy = plan.version < 3;
	const targets = plan.order === 'allAtOnce' ? plan.people.map((_, index) => index) : [0];
	const callIds: Array<string | null> = [];
	for (const index of targets) {
		const startedAt = Date.now();
		const state: PageState = { plan, attempt: index, history: [] };
		const callbackUri = attemptCallbackUrl(
			functions,
			graph.settings,
			startedAt,
			legacy ? undefined : state,
		);
		callIds.push(await placeCall(graph, plan.people[index]!, callbackUri, resourceAccountId));
	}
	if (plan.order === 'allAtOnce')
		keepCallsPlacedAtOnce(
			functions,
			callIds.map((id) => id ?? ''),
		);
	return callIds;
}

/**
 * Call and wait for keypress: places the page's first call (or every call, at once) with this
 * execution's waiting URL as its callbackUri, then puts the execution to wait. The waiting webhook
 * (keypressWebhook.ts) plays the alert and menu, goes on with the next person in turn, and resumes
 * the execution with the choice or the page's end; every outcome comes from Graph's
 * notifications, because n8n runs nothing of this node when the wait ends by time.
 */
export const callAndWaitForKeypress: Operation = {
	value: 'callAndWaitForKeypress',
	name: 'Call and Wait for Keypress',
	action: 'Call and wait for a keypress',
	summary:
		'Page a person or a rota by phone or Teams, say the alert and wait for a key (approve, a menu choice, join the bridge)',
	permissions: [
		{ roles: ACTION_ROLES.peerToPeer.roles, alsoNeeds: ACTION_ROLES.subscribeToTone.roles },
	],
	fields: keypressFields,
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
		const version = functions.getNode().typeVersion;
		const fromItems = version >= 3 && item.param('peopleSource', 'form') === 'inputItems';
		// Input Items: the items make one page, placed with the first.
		if (item.index > 0 && fromItems) return [];
		if (!fromItems && functions.getInputData().length > 1) {
			throw new InputProblem(
				'Input',
				`has ${functions.getInputData().length} items; Call and Wait for Keypress places one page per execution.${version >= 3 ? ' To call one person per item, set Take People From to Input Items.' : ''} Otherwise split the items (e.g. Loop Over Items) or keep only one.`,
			);
		}
		const param = (name: string, fallback?: unknown) => item.param(name, fallback);
		const plan = readPagePlan({ version, param, inputItems: functions.getInputData() });
		const keypress = readKeypressOptions(version, param);
		const extra = item.param('additionalFields', {}) as Record<string, unknown>;
		const startedAt = Date.now();
		const waitTill =
			version >= 3
				? readWaitLimit(item.param('options', {}) as Record<string, unknown>, startedAt)
				: new Date(
						startedAt +
							readNumber(extra.timeoutSeconds, {
								field: 'Additional Fields › Give Up After (Seconds)',
								...KEYPRESS_LIMITS.timeoutSeconds,
								whole: true,
							}) *
								1000,
					);
		const phones = plan.people.some((person) => person.kind === 'phone');
		const { source, spoken } = await readPromptSource(
			functions,
			item.index,
			pageMessages({
				version,
				phones,
				confirmPresence: plan.confirmPresence,
				atOnce: plan.order === 'allAtOnce',
				alertIsText: item.param('promptSource', 'url') === 'text',
				saysMenu: saysMenu(functions, item.index),
			}),
		);
		const check =
			source.kind === 'url' && wantsPromptCheck(extra) && !options.request.dryRun
				? await checkPrompt(functions, source.url, 'Prompt URL')
				: source.kind === 'binary'
					? source.check
					: undefined;
		const graph = { settings, transport, request: options.request as RequestSettings };
		const resourceAccountId = item.param('applicationInstanceId', '');
		if (options.request.dryRun)
			return await dryRunItem(graph, plan, keypress, resourceAccountId, spoken);
		// The waiting webhook of this node in this execution: n8n's resume URL and the node's ID.
		const resumeUrl = functions.evaluateExpression('{{ $execution.resumeUrl }}', item.index);
		if (typeof resumeUrl !== 'string' || !resumeUrl.startsWith('https://')) {
			throw new InputProblem(
				'Call and Wait for Keypress',
				`needs n8n at a public https URL: Graph posts the call's events only to https, and this execution's waiting URL is "${String(resumeUrl)}".`,
				'Set WEBHOOK_URL to the https address at which the internet reaches n8n (a reverse proxy with a certificate, or a tunnel), as for the Microsoft Graph Calls Trigger. Options › Dry Run shows what the page would do without calling anyone.',
			);
		}
		const callIds = await placeFirstCalls(context, graph, plan, resourceAccountId);
		await functions.putExecutionToWait(waitTill);
		// Shown in the editor while the execution waits. n8n drops it when the execution goes on:
		// the webhook's item replaces it, and when the wait's limit passes first n8n continues
		// with this node's input item (its rule for every waiting node).
		const output: IDataObject = {
			outcome: 'waiting',
			callId: callIds[0] ?? null,
			...(version < 3
				? { acceptedKeys: keypress.menu.choices.map((choice) => choice.key) }
				: {
						callIds,
						page: pageSummary(plan, keypress.menu),
						onEachOutcome: outcomePlan(plan),
					}),
			waitingUntil: waitTill.toISOString(),
		};
		if (check) output.promptChecks = [check];
		if (spoken.length > 0) output.spokenPrompts = spoken;
		return output;
	},
};

/**
 * Options › Dry Run: the call the page would place first (Graph's request, not sent), who comes
 * next, the menu as it would be said, and what each outcome would do. Needs no https URL.
 */
async function dryRunItem(
	graph: GraphAccess,
	plan: PagePlan,
	keypress: ReturnType<typeof readKeypressOptions>,
	resourceAccountId: unknown,
	spoken: IDataObject[],
): Promise<IDataObject> {
	const preview = 'https://your-n8n.example.com/webhook-waiting/<execution>/<node>';
	const firstCalls: IDataObject[] = [];
	for (const person of plan.order === 'allAtOnce' ? plan.people : plan.people.slice(0, 1))
		firstCalls.push((await callRequest(graph, person, preview, resourceAccountId)).json);
	return {
		dryRun: true,
		note: "Nobody was called. The calls go out with this execution's waiting URL as their callback URL, which needs n8n at a public https URL.",
		firstCalls,
		page: pageSummary(plan, keypress.menu),
		...(plan.version >= 3 ? { menuSaid: menuSpeech(keypress.menu) } : {}),
		onEachOutcome: outcomePlan(plan),
		...(spoken.length > 0 ? { spokenPrompts: spoken } : {}),
	};
}
