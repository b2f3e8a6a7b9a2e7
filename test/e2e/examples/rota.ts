/**
 * examples/page-the-rota.json in real n8n over https (the n8n of ./page.ts), the simulator's
 * phones playing the rota: the first declines, the second (a Teams user) does not answer, a
 * voicemail box picks up and never confirms, the team lead confirms, presses a wrong key (and
 * hears "That is not an option" and the menu), then 2, and is moved into the bridge with
 * replacesCallId. One waiting execution, resumed once; the chat post says who joined.
 */
import * as assert from 'node:assert/strict';

import { fillRotaExample, readExample } from '../harness/exampleWorkflows';
import type { WorkflowImport } from '../harness/n8n';
import {
	DEFAULT_CALL_ID,
	playPerson,
	type GraphSimulator,
	type ScriptedPerson,
} from '../simulator';

export const ROTA_ID = 'e2ePageTheRota01';
const ROTA_PATH = 'page-the-rota';
const ALERT = 'The rota: checkout is down';
const BRIDGE = DEFAULT_CALL_ID;
const PEOPLE = {
	declines: '+14255550111',
	noAnswer: '278405a3-f568-4b3e-b684-009193463064',
	voicemail: '+14255550113',
	lead: '+14255550114',
};

type Check = (name: string, body: () => Promise<void>) => Promise<void>;

/** The example as a user fills it in for the simulator: the bridge is the simulator's group call. */
export function rotaWorkflow(
	credential: Record<string, { id: string; name: string }>,
	resourceAccount: string,
	chatUrl: string,
): WorkflowImport {
	const filled = fillRotaExample(readExample('page-the-rota.json'), {
		credential,
		resourceAccount,
		bridgeCallId: BRIDGE,
		chatUrl,
	});
	return { ...filled, id: ROTA_ID, active: false };
}

interface Attempt {
	person: { id: string };
	outcome: string;
	callId?: string;
}

export async function rotaChecks(options: {
	sim: GraphSimulator;
	chat: { posts: Array<Record<string, unknown>> };
	post: (body: object, hookPath: string) => Promise<unknown>;
	waitFor: (what: string, predicate: () => boolean) => Promise<void>;
	check: Check;
}): Promise<void> {
	const { sim, chat, post, waitFor, check } = options;
	await check(
		'examples/page-the-rota.json: a decline, no answer, a voicemail box, a wrong key, then 2 → in the bridge',
		async () => {
			const calling = sim.callbacks.knobs;
			const media = sim.media.knobs;
			const saved = { calling: { ...calling }, media: { ...media } };
			// Everyone's phone rings until their script acts; media last long enough for n8n's round
			// trips on a loaded machine (a key lands while the prompt plays or the check records).
			calling.manualPhones = true;
			calling.noAnswerTimeoutMs = 4_000;
			media.promptPlayMs = 4_000;
			media.recordMs = 4_000;
			const people: ScriptedPerson[] = [
				// Rings 3 s before the decline: Graph's notifications that come before n8n has stored
				// the execution as waiting get 409 and are lost (docs/media.md, Known limits).
				playPerson(sim, `phone:${PEOPLE.declines}`, {
					onRing: 'decline',
					answerAfterMs: 3_000,
					keys: [],
				}),
				playPerson(sim, `user:${PEOPLE.noAnswer}`, { onRing: 'ignore', keys: [] }),
				playPerson(sim, `phone:${PEOPLE.voicemail}`, { answerAfterMs: 1_500, keys: [] }),
			];
			const lead = playPerson(sim, `phone:${PEOPLE.lead}`, {
				answerAfterMs: 1_500,
				keys: ['5', '9', '2'],
				pressAfterMs: 1_000,
			});
			people.push(lead);
			const posted = chat.posts.length;
			const from = sim.graphRequests().length;
			try {
				await post({ text: ALERT }, ROTA_PATH);
				// Other pages of this n8n may post meanwhile: the rota's post is the one about its alert.
				const ours = () =>
					chat.posts
						.slice(posted)
						.find((p) => typeof p.text === 'string' && p.text.startsWith(`${ALERT}:`));
				await waitFor('the chat post of the rota', () => ours() !== undefined);
				const message = ours() as { text?: string; key?: string; attempts?: Attempt[] };
				assert.equal(
					message.text,
					`${ALERT}: Team lead joined the bridge.`,
					lead.timeline.join('\n'),
				);
				assert.deepEqual(
					message.attempts?.map((a) => [a.person.id, a.outcome]),
					[
						[PEOPLE.declines, 'ended'],
						[PEOPLE.noAnswer, 'unanswered'],
						[PEOPLE.voicemail, 'noConfirmation'],
						[PEOPLE.lead, 'pressed'],
					],
				);
				assert.deepEqual(lead.pressed, ['5', '9', '2']);
				const heard = lead.timeline.filter((line) => line.includes('hears')).join('\n');
				assert.match(heard, /presence check[\s\S]*That is not an option", then the menu/);
				// Moved into the bridge: the invite carries the page call, the roster shows them, the
				// page call ended.
				const pageCall = message.attempts?.[3]?.callId;
				const invite = sim
					.graphRequests()
					.slice(from)
					.find(
						(r) => r.method === 'POST' && r.path.endsWith(`/calls/${BRIDGE}/participants/invite`),
					);
				assert.ok(invite, 'invited into the bridge');
				const [invited] = (
					JSON.parse(invite.body) as { participants: Array<Record<string, unknown>> }
				).participants;
				assert.equal(invited?.replacesCallId, pageCall);
				assert.ok(
					sim.getCall(BRIDGE)?.participants.some((p) => p.identityKey === `phone:${PEOPLE.lead}`),
					"the bridge's roster shows the team lead",
				);
				await waitFor(
					'the page call to end',
					() => pageCall !== undefined && sim.getCall(pageCall)?.state === 'terminated',
				);
				const creates = sim
					.graphRequests()
					.slice(from)
					.filter((r) => r.method === 'POST' && /\/communications\/calls$/.test(r.path));
				assert.equal(creates.length, 4, 'one call per person, no second round');
			} finally {
				for (const person of people) person.stop();
				Object.assign(calling, saved.calling);
				Object.assign(media, saved.media);
			}
		},
	);
}
