/**
 * Call and Wait for Keypress as a pager (node version 3): a rota called in turn or all at once,
 * for rounds; a menu of keys or an approval; phones confirm a person is there before the alert;
 * "press 2 to join the bridge" moves the person into a call the app is in with replacesCallId.
 * The people are played through the simulator's phones (simulator/scriptedPerson.ts): they
 * decline, let it ring, answer like a voicemail box, press wrong keys. One waiting execution per
 * page, resumed once.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DEFAULT_CALL_ID, ENGINEER, MANAGER, RESOURCE_ACCOUNT } from './support/calls';
import { startWaitingFixture, type WaitingFixture } from './support/waiting';
import { defaultApp, playPerson, type PersonScript, type ScriptedPerson } from '../simulator';

const V3 = 3;
const BRIDGE = DEFAULT_CALL_ID;
const DECLINES = '+14255550111';
const VOICEMAIL = '+14255550113';
const RESPONDER = '+14255550114';
/** Long enough for a scripted key to land while a prompt plays or a presence check records. */
const MEDIA_MS = 400;
const KEY_AFTER_MS = 60;

const menu = {
	choice: [
		{ key: '1', label: 'acknowledge', does: 'finish' },
		{ key: '2', label: 'join the bridge', does: 'moveIntoCall', callId: BRIDGE },
		{ key: '3', label: 'escalate to the manager', does: 'finish' },
	],
};

async function until(check: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

interface Attempt {
	round: number;
	person: { type: string; id: string; displayName?: string };
	callId?: string;
	outcome: string;
	code?: number;
	subcode?: number;
}

describe('Call and Wait for Keypress: a rota, a menu, a person not a voicemail box', () => {
	let fx: WaitingFixture;
	let people: ScriptedPerson[] = [];
	before(async () => {
		fx = await startWaitingFixture({
			apps: [
				{
					...defaultApp(),
					resourceAccounts: [{ id: RESOURCE_ACCOUNT, phoneNumber: '+14255550100' }],
				},
			],
		});
	});
	after(async () => await fx.close());
	beforeEach(() => {
		for (const person of people) person.stop();
		people = [];
		fx.sim.reset();
		fx.waiting.resumes.length = 0;
		fx.waiting.answers.length = 0;
		fx.waiting.failures.length = 0;
		// Everyone's phone rings until the script answers, declines or lets it ring out.
		fx.sim.callbacks.knobs.manualPhones = true;
		fx.sim.callbacks.knobs.noAnswerTimeoutMs = 500;
		fx.sim.media.knobs.promptPlayMs = MEDIA_MS;
		fx.sim.media.knobs.recordMs = MEDIA_MS;
	});

	const play = (key: string, script: PersonScript): ScriptedPerson => {
		const person = playPerson(fx.sim, key, { pressAfterMs: KEY_AFTER_MS, ...script });
		people.push(person);
		return person;
	};
	const start = async (fields: Record<string, unknown>, items?: Array<{ json: object }>) =>
		await fx.waiting.start(
			{
				resource: 'call',
				operation: 'callAndWaitForKeypress',
				applicationInstanceId: RESOURCE_ACCOUNT,
				promptText: 'Checkout is down.',
				...fields,
			},
			items as never,
			undefined,
			undefined,
			V3,
		);
	const decided = async (): Promise<Record<string, unknown>> => {
		await until(
			() => fx.waiting.resumes.length > 0,
			() =>
				`the page's decision; answers ${JSON.stringify(fx.waiting.answers.slice(-5))}; failures ${fx.waiting.failures.map((e) => e.message).join('; ')}; ${people.map((p) => p.timeline.join('\n')).join('\n--\n')}`,
		);
		// Anything that would resume it again comes within the next notifications.
		await new Promise((resolve) => setTimeout(resolve, 300));
		assert.equal(fx.waiting.resumes.length, 1, 'resumed once');
		assert.deepEqual(fx.waiting.failures, []);
		return fx.waiting.resumes[0]?.[0] ?? {};
	};
	const createdCalls = () =>
		fx.sim
			.graphRequests()
			.filter((r) => r.method === 'POST' && /\/communications\/calls$/.test(r.path));
	const targetOf = (body: string): string => {
		const target = (
			JSON.parse(body) as { targets: Array<{ identity: Record<string, { id: string }> }> }
		).targets[0]?.identity;
		return target?.phone?.id ?? target?.user?.id ?? '?';
	};

	it('in turn: a decline, no answer and a voicemail box move on at once; a wrong key hears the menu again; 2 moves the responder into the bridge with replacesCallId', async () => {
		// A code Graph documents for a declined call (call-delete's end reasons), read as declined.
		fx.sim.callbacks.knobs.declineWith = {
			code: 480,
			subcode: 10199,
			message: 'Call rejected as private calling is disabled for the user.',
		};
		play(`phone:${DECLINES}`, { onRing: 'decline', keys: [] });
		play(`user:${ENGINEER}`, { onRing: 'ignore', keys: [] });
		play(`phone:${VOICEMAIL}`, { keys: [] });
		const responder = play(`phone:${RESPONDER}`, {
			keys: ['5', '9', '2'],
			promptWords: 'Checkout is down…',
		});
		const run = await start({
			people: {
				person: [
					{ type: 'phoneNumber', id: DECLINES, displayName: 'Declines' },
					{ type: 'teamsUser', id: ENGINEER, displayName: 'Does not answer' },
					{ type: 'phoneNumber', id: VOICEMAIL, displayName: 'Voicemail' },
					{ type: 'phoneNumber', id: RESPONDER, displayName: 'Responder' },
				],
			},
			callOrder: 'inTurn',
			responseType: 'menu',
			menu,
		});
		assert.ifError(run.error);
		const item = await decided();
		assert.equal(item.invitationError, undefined);
		assert.equal(item.outcome, 'pressed');
		assert.equal(item.key, '2');
		assert.equal(item.label, 'join the bridge');
		assert.equal(item.action, 'moveIntoCall');
		assert.equal(item.movedIntoCallId, BRIDGE);
		assert.deepEqual((item.respondedBy as Record<string, unknown>).id, RESPONDER, 'who pressed it');
		assert.ok(!Number.isNaN(Date.parse(String(item.respondedAt))));
		assert.deepEqual(responder.pressed, ['5', '9', '2']);

		// One call per person, in the rota's order, each placed after the previous one was over.
		assert.deepEqual(
			createdCalls().map((r) => targetOf(r.body)),
			[DECLINES, ENGINEER, VOICEMAIL, RESPONDER],
		);
		const attempts = item.attempts as Attempt[];
		assert.deepEqual(
			attempts.map((a) => [a.person.id, a.outcome]),
			[
				[DECLINES, 'declined'],
				[ENGINEER, 'unanswered'],
				[VOICEMAIL, 'noConfirmation'],
				[RESPONDER, 'pressed'],
			],
		);
		assert.ok(
			typeof attempts[0]?.code === 'number',
			`Graph's code of the decline: ${JSON.stringify(attempts[0])}`,
		);
		// What the page said (the output), and what the responder heard (their phone): the presence
		// check, the alert with its menu, then "That is not an option" and the menu after 9.
		const played = item.played as { alert: string };
		assert.match(
			played.alert,
			/^Checkout is down\. Press 1 to acknowledge\. Press 2 to join the bridge\. Press 3 to escalate to the manager\. Press star to hear this again\.$/,
		);
		const heard = responder.timeline.filter((line) => line.includes('hears')).join('\n');
		assert.match(
			heard,
			/presence check[\s\S]*Checkout is down[\s\S]*That is not an option", then the menu/,
		);
		for (const which of ['presence', 'alert', 'wrong', 'menu'])
			assert.ok(
				fx.sim.media.downloads.some(
					(d) =>
						d.uri.startsWith(fx.waiting.waitingBaseUrl) &&
						(new URL(d.uri).searchParams.get('say') ?? 'alert') === which &&
						d.problem === undefined,
				),
				`Graph downloaded the ${which} message from the waiting URL`,
			);

		// The bridge: an invite with replacesCallId = the responder's page call; they are in its
		// roster; the page call was dropped.
		const pageCall = attempts[3]?.callId;
		assert.ok(pageCall);
		const invite = fx.sim
			.graphRequests()
			.find((r) => r.method === 'POST' && r.path.endsWith(`/calls/${BRIDGE}/participants/invite`));
		assert.ok(invite, 'invited into the bridge');
		const [invited] = (JSON.parse(invite.body) as { participants: Array<Record<string, unknown>> })
			.participants;
		assert.equal(invited?.replacesCallId, pageCall);
		assert.deepEqual((invited?.identity as { phone?: { id: string } }).phone?.id, RESPONDER);
		assert.ok(item.invitation, 'the invite operation is in the output');
		assert.ok(
			fx.sim.getCall(BRIDGE)?.participants.some((p) => p.identityKey === `phone:${RESPONDER}`),
			"the bridge's roster shows the responder",
		);
		await until(
			() => fx.sim.getCall(pageCall)?.state === 'terminated',
			() => `the page call to end: ${fx.sim.getCall(pageCall)?.state}`,
		);
	});

	it('in turn for two rounds: nobody in round one, the first person answers in round two', async () => {
		play(`phone:${DECLINES}`, { onRing: ['decline', 'answer'], keys: ['1', '1'] });
		play(`phone:${VOICEMAIL}`, { onRing: 'ignore', keys: [] });
		const run = await start({
			people: {
				person: [
					{ type: 'phoneNumber', id: DECLINES },
					{ type: 'phoneNumber', id: VOICEMAIL },
				],
			},
			callOrder: 'inTurn',
			rounds: 2,
			delaySeconds: 0,
			responseType: 'approval',
			approvalOptions: { values: { approvalType: 'single', approveLabel: 'acknowledge' } },
		});
		assert.ifError(run.error);
		const item = await decided();
		assert.deepEqual(item.data, { approved: true, respondedAt: item.respondedAt });
		const attempts = item.attempts as Attempt[];
		// The simulator's default decline ends with SIP's 603, a code Graph does not document: the
		// call is over all the same, and the rota moves on with Graph's code in the attempt.
		assert.equal(attempts[0]?.code, 603);
		assert.deepEqual(
			attempts.map((a) => [a.round, a.person.id, a.outcome]),
			[
				[1, DECLINES, 'ended'],
				[1, VOICEMAIL, 'unanswered'],
				[2, DECLINES, 'pressed'],
			],
		);
		assert.equal(createdCalls().length, 3);
	});

	it('all at once: the first to approve wins, the others hear "someone else has taken this" and are hung up', async () => {
		fx.sim.callbacks.knobs.noAnswerTimeoutMs = 10_000;
		const silent = play(`phone:${VOICEMAIL}`, { keys: [] });
		play(`user:${ENGINEER}`, { answerAfterMs: 100, keys: ['1'] });
		const late = play(`phone:${RESPONDER}`, { answerAfterMs: 50, keys: ['4'] });
		const run = await start({
			people: {
				person: [
					{ type: 'phoneNumber', id: VOICEMAIL },
					{ type: 'teamsUser', id: ENGINEER, displayName: 'Alex' },
					{ type: 'phoneNumber', id: RESPONDER },
				],
			},
			callOrder: 'allAtOnce',
			responseType: 'approval',
			approvalOptions: { values: { approvalType: 'double' } },
		});
		assert.ifError(run.error);
		assert.equal(createdCalls().length, 3, 'all three called by execute');
		const item = await decided();
		assert.equal(item.key, '1');
		assert.deepEqual(item.data, { approved: true, respondedAt: item.respondedAt });
		assert.deepEqual(item.respondedBy, { type: 'teamsUser', id: ENGINEER, displayName: 'Alex' });
		const attempts = item.attempts as Attempt[];
		assert.equal(attempts.find((a) => a.person.id === ENGINEER)?.outcome, 'pressed');
		// Whoever was still up is ended; the one who got past the presence check heard why.
		await Promise.all([silent.ended, late.ended]);
		assert.ok(
			late.timeline.some((line) => line.includes('Someone else has taken this alert')),
			late.timeline.join('\n'),
		);
		for (const id of [VOICEMAIL, RESPONDER])
			assert.equal(attempts.find((a) => a.person.id === id)?.outcome, 'someoneElseChose');
	});

	it('approve and disapprove: 2 gives data.approved false, as n8n’s send-and-wait does', async () => {
		play(`user:${ENGINEER}`, { keys: ['2'] });
		const run = await start({
			people: { person: [{ type: 'teamsUser', id: ENGINEER }] },
			responseType: 'approval',
			approvalOptions: { values: { approvalType: 'double' } },
		});
		assert.ifError(run.error);
		const item = await decided();
		assert.equal(item.label, 'decline');
		assert.deepEqual(item.data, { approved: false, respondedAt: item.respondedAt });
	});

	it('from the input items: one page for all of them, called in the items’ order', async () => {
		play(`phone:${DECLINES}`, { onRing: 'decline', keys: [] });
		play(`user:${MANAGER}`, { keys: ['1'] });
		// (The simulator's decline ends with SIP's 603, undocumented by Graph: 'ended'.)
		const run = await start(
			{
				peopleSource: 'inputItems',
				personField: 'contact',
				personNameField: 'name',
				callOrder: 'inTurn',
				responseType: 'approval',
			},
			[
				{ json: { contact: DECLINES, name: 'First' } },
				{ json: { contact: MANAGER, name: 'Manager' } },
			],
		);
		assert.ifError(run.error);
		assert.equal(run.output?.[0]?.length, 1, 'one waiting item for the page');
		const item = await decided();
		assert.deepEqual(item.respondedBy, {
			type: 'teamsUser',
			id: MANAGER,
			displayName: 'Manager',
		});
		assert.deepEqual(
			(item.attempts as Attempt[]).map((a) => a.outcome),
			['ended', 'pressed'],
		);
	});

	it("as the AI Agent's tool: the rota's number comes from $fromAI, the execution waits at the tool, the menu's choice is the tool's answer", async () => {
		const approver = '+14255550103';
		play(`phone:${approver}`, { keys: ['1', '3'] });
		const run = await fx.waiting.start(
			{
				resource: 'call',
				operation: 'callAndWaitForKeypress',
				applicationInstanceId: RESOURCE_ACCOUNT,
				promptText: 'The agent asks: roll back the release?',
				people: {
					person: [
						{
							type: 'phoneNumber',
							id: "={{ $fromAI('phoneNumber', 'The approver\\'s phone number in E.164 form', 'string') }}",
						},
					],
				},
				responseType: 'menu',
				menu,
				descriptionType: 'manual',
				toolDescription: 'Phones a person, reads the question and waits for their choice.',
			},
			[{ json: { chatInput: 'Roll back? Approver: +14255550103' } }],
			undefined,
			{
				type: 'n8n-nodes-microsoft-graph-calls.microsoftGraphCallsTool',
				engine: { args: { phoneNumber: approver } },
			},
			V3,
		);
		assert.ifError(run.error);
		assert.ok(run.waitTill, 'the execution waits at the tool node');
		assert.deepEqual(
			createdCalls().map((r) => targetOf(r.body)),
			[approver],
		);
		const item = await decided();
		assert.equal(item.key, '3');
		assert.equal(item.label, 'escalate to the manager');
	});

	describe('refused before anyone is called, naming the field', () => {
		const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
			['an empty rota', { people: { person: [] } }, /People to Call/],
			[
				'the same person twice',
				{
					people: {
						person: [
							{ type: 'phoneNumber', id: RESPONDER },
							{ type: 'phoneNumber', id: RESPONDER },
						],
					},
				},
				/Person 2.*Person 1 again|is Person 1 again/,
			],
			[
				'one key with two meanings',
				{
					people: { person: [{ type: 'teamsUser', id: ENGINEER }] },
					responseType: 'menu',
					menu: {
						choice: [
							{ key: '1', label: 'acknowledge', does: 'finish' },
							{ key: '1', label: 'resolve', does: 'finish' },
						],
					},
				},
				/Menu › Key 2 › Key/,
			],
			[
				'a menu key that collides with repeat',
				{
					people: { person: [{ type: 'teamsUser', id: ENGINEER }] },
					responseType: 'menu',
					menu: { choice: [{ key: '*', label: 'acknowledge', does: 'finish' }] },
				},
				/Menu › Key 1 › Key/,
			],
			[
				'a bridge without its call ID',
				{
					people: { person: [{ type: 'teamsUser', id: ENGINEER }] },
					responseType: 'menu',
					menu: { choice: [{ key: '2', label: 'join', does: 'moveIntoCall', callId: '' }] },
				},
				/Call ID to Join/,
			],
		];
		for (const [what, fields, field] of refusals)
			it(what, async () => {
				const run = await start({ responseType: 'approval', ...fields });
				assert.ok(run.error, 'refused');
				assert.match(run.error.message, field);
				assert.equal(createdCalls().length, 0, 'nobody called');
			});
	});
});
