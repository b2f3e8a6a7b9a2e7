/**
 * The softphone in the same headless Chromium as the editor (issue 24), against dev mode's
 * simulator and its two active examples:
 *   - the page example (a version 3 page), started with the softphone's own "Send an alert"
 *     button: the on-call engineer's phone rings and is answered; it first hears the presence
 *     check ("… Press any key to hear it."), a key is pressed, then it hears the alert and its
 *     menu ("Checkout is down. Press 1 to acknowledge. …"), each <audio> as long as the words
 *     spoken; "1" resumes the waiting execution, the chat post arrives on the page and n8n lists
 *     the execution as a success;
 *   - its failure path, in copies of it: the first page fails (its Resource Account ID left empty)
 *     and its error output pages the backup, who acknowledges; both fail and the outcome is still
 *     posted ("failed", with the node's error);
 *   - "Call the bot": the routing example answers, plays "Connecting you." and transfers the call
 *     to the support engineer, whose phone rings there.
 * Screenshots: the ringing phone, the call with its prompt and keypad, and the page after the key
 * (docs/screenshots/softphone-*.png).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';

import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';

import { httpsRequest } from '../harness/https';
import { createWorkflow, restFromPage, type CheckTools, type EditorReady } from './formChecks';

export interface SoftphoneReady extends EditorReady {
	/** n8n's https: the dev CA that issued its certificate (for requests from Node). */
	tls: { caCertPath: string };
	softphone: { url: string; chatUrl: string; botWebhookUrl: string };
	page: {
		workflowId: string;
		alertUrl: string;
		/** The alert and its menu, spoken ("Checkout is down. Press 1 to acknowledge. …"). */
		promptDurationMs: number;
		/** What a phone hears first: "This is an alert from n8n. Press any key to hear it." */
		presenceDurationMs: number;
	};
	routing: { workflowId: string; promptDurationMs: number; support: { id: string; name: string } };
}

const ON_CALL = 'phone:+14255550101';
const BACKUP = 'phone:+14255550102';
const CALLER = 'user:8a34a46b-88d8-4a83-8a2e-6e2b5e9a4d11';
/** A page rings after n8n ran two nodes and Graph set the call up: generous on a loaded machine. */
const CALL_TIMEOUT = 90_000;
/** The browser's duration of a WAV may differ from the header's by a frame's rounding. */
const DURATION_TOLERANCE_MS = 50;

/** Any key but 1: the presence check takes any key, and 1 must then be the menu's choice. */
const PRESENCE_KEY = '5';

/** The leg's prompt player once it plays a prompt other than `not`: its duration, source, id. */
async function heardPrompt(
	audio: Locator,
	not: string | undefined,
): Promise<{ durationMs: number; src: string; audioId: string; playing: boolean }> {
	return await audio.evaluate(
		async (element, previous) => {
			// No DOM lib in this tsconfig: the element's shape, structurally.
			const media = element as unknown as {
				readyState: number;
				duration: number;
				src: string;
				currentSrc: string;
				currentTime: number;
				paused: boolean;
				dataset: { audio?: string };
			};
			// No named function in here: tsx would wrap it in a helper the page does not have.
			for (
				let i = 0;
				i < 600 &&
				!(
					media.dataset.audio !== undefined &&
					media.dataset.audio !== previous &&
					media.currentSrc.endsWith(`/${media.dataset.audio}`) &&
					media.readyState >= 1 &&
					Number.isFinite(media.duration)
				);
				i++
			)
				await new Promise((resolve) => setTimeout(resolve, 50));
			return {
				durationMs: Math.round(media.duration * 1000),
				src: media.src,
				audioId: media.dataset.audio ?? '',
				playing: !media.paused || media.currentTime > 0,
			};
		},
		not ?? null,
		{ timeout: 45_000 },
	);
}

const card = (phone: Page, personKey: string): Locator =>
	phone.locator(`article.person[data-person="${personKey}"]`);

/** The newest execution of a workflow as n8n's execution list gives it, once it finished. */
async function finishedExecution(
	editor: Page,
	ready: EditorReady,
	workflowId: string,
	since: number,
): Promise<{ id: string; status: string }> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const deadline = Date.now() + 60_000;
	let last = '';
	for (;;) {
		const answer = await restFromPage(editor, ready, 'GET', `/rest/executions?filter=${filter}`);
		last = `${answer.status} ${answer.text.slice(0, 300)}`;
		const results =
			(
				JSON.parse(answer.text) as {
					data?: { results?: Array<{ id: string; status: string; startedAt?: string }> };
				}
			).data?.results ?? [];
		const newest = results.find(
			(r) => r.startedAt === undefined || Date.parse(r.startedAt) >= since - 5_000,
		);
		if (newest !== undefined && !['new', 'running', 'waiting'].includes(newest.status))
			return newest;
		if (Date.now() > deadline) throw new Error(`no finished execution of ${workflowId}: ${last}`);
		await editor.waitForTimeout(500);
	}
}

export async function runSoftphoneChecks(
	context: BrowserContext,
	editor: Page,
	ready: SoftphoneReady,
	tools: CheckTools,
): Promise<void> {
	const { check, shot } = tools;
	const assert: CheckTools['assert'] = tools.assert;
	const phone = await context.newPage();
	const opened = await check(
		'the softphone opens over https (its own origin) and lists the simulated tenant’s people',
		async () => {
			await phone.goto(ready.softphone.url);
			await phone.locator('#connection[data-state="live"]').waitFor();
			const people = await phone.locator('article.person h3').allInnerTexts();
			for (const name of ['On-call engineer', 'Backup engineer', 'Alex Wilber', 'Test User'])
				assert(people.includes(name), `"${name}" is not listed: ${people.join(', ')}`);
			const origin = new URL(phone.url()).origin;
			assert(origin !== new URL(ready.url).origin, 'the softphone shares n8n’s origin');
			return `${people.length} people at ${origin}`;
		},
	);
	if (!opened) return;

	await check(
		'page example on the softphone: rings, answered, hears the presence check, a key, then the alert and its menu (each <audio> as long as its words), "1" resumes the execution, the chat post arrives, n8n lists a success',
		async () => {
			const since = Date.now();
			await phone.locator('button[data-starter="0"]').click();
			const onCall = card(phone, ON_CALL);
			await onCall.and(phone.locator('[data-state="ringing"]')).waitFor({ timeout: CALL_TIMEOUT });
			const ringing = (await onCall.locator('.status').innerText()).replace(/\s+/g, ' ');
			assert(/Ringing: .* is calling/.test(ringing), `the card reads "${ringing}"`);
			await phone.mouse.move(5, 890);
			const ringingFile = await shot(phone, 'softphone-ringing');

			await onCall.locator('button[data-action="answer"]').click();
			const audio = onCall.locator('audio[data-leg]');
			await audio.waitFor({ timeout: CALL_TIMEOUT });
			// A phone's page first asks for any key, so a voicemail box cannot take the alert.
			const presence = await heardPrompt(audio, undefined);
			assert(
				Math.abs(presence.durationMs - ready.page.presenceDurationMs) <= DURATION_TOLERANCE_MS,
				`the presence check's <audio> lasts ${presence.durationMs} ms; its words ${ready.page.presenceDurationMs} ms`,
			);
			await onCall.locator(`button[data-key="${PRESENCE_KEY}"]`).click();
			// Then the alert and its menu, one WAV of the typed prompt.
			const heard = await heardPrompt(audio, presence.audioId);
			assert(
				Math.abs(heard.durationMs - ready.page.promptDurationMs) <= DURATION_TOLERANCE_MS,
				`the alert's <audio> lasts ${heard.durationMs} ms; the alert and menu ${ready.page.promptDurationMs} ms`,
			);
			for (const prompt of [presence, heard])
				assert(
					prompt.src.startsWith(new URL(ready.softphone.url).origin),
					`the audio comes from ${prompt.src}`,
				);
			await phone.mouse.move(5, 890);
			const answeredFile = await shot(phone, 'softphone-answered');

			await onCall.locator('button[data-key="1"]').click();
			const post = phone
				.locator('#chat li')
				.filter({ hasText: /acknowledged by On-call engineer/ })
				.first();
			await post.waitFor({ timeout: CALL_TIMEOUT });
			const posted = (await post.innerText()).replace(/\s+/g, ' ');
			const recent = phone.locator('#recent li').filter({ hasText: 'On-call engineer' }).first();
			await recent.waitFor();
			const recentText = (await recent.innerText()).replace(/\s+/g, ' ');
			assert(
				new RegExp(`heard 2 prompts.*pressed ${PRESENCE_KEY} 1`).test(recentText),
				`the recent call reads "${recentText}"`,
			);
			await phone.mouse.move(5, 890);
			await phone.waitForTimeout(300);
			const pressedFile = await shot(phone, 'softphone-pressed');

			const execution = await finishedExecution(editor, ready, ready.page.workflowId, since);
			assert(
				execution.status === 'success',
				`execution ${execution.id} of the page example ended "${execution.status}"`,
			);
			return `"${ringing}"; presence check <audio> ${presence.durationMs} ms (words ${ready.page.presenceDurationMs} ms), key ${PRESENCE_KEY}; alert <audio> ${heard.durationMs} ms (alert and menu ${ready.page.promptDurationMs} ms${heard.playing ? ', playing' : ''}); chat "${posted.slice(0, 90)}"; execution ${execution.id} ${execution.status}; ${ringingFile}, ${answeredFile}, ${pressedFile}`;
		},
	);

	await check(
		'the page example’s failure path: the first page fails (Resource Account ID empty) → its error output pages the backup, who acknowledges; both fail → the chat still gets the outcome, "failed"',
		async () => {
			const alerts: string[] = [];
			// A copy of the active page example (filled in by dev mode), under a path of its own.
			const copy = async (
				suffix: string,
				blank: string[],
			): Promise<{ id: string; path: string }> => {
				const read = await restFromPage(
					editor,
					ready,
					'GET',
					`/rest/workflows/${ready.page.workflowId}`,
				);
				const source = (
					JSON.parse(read.text) as {
						data: { name: string; nodes: Array<Record<string, unknown>>; connections: unknown };
					}
				).data;
				const path = `page-failure-${suffix}-${Date.now()}`;
				const nodes = source.nodes.map((node) => {
					const parameters = node.parameters as Record<string, unknown>;
					const own = node.webhookId === undefined ? {} : { webhookId: randomUUID() };
					if (node.type === 'n8n-nodes-base.webhook')
						return { ...node, ...own, parameters: { ...parameters, path } };
					if (blank.includes(String(node.name)))
						return { ...node, ...own, parameters: { ...parameters, applicationInstanceId: '' } };
					return { ...node, ...own };
				});
				const id = await createWorkflow(editor, ready, {
					name: `Failure path check: ${suffix}`,
					nodes,
					connections: source.connections,
					settings: { executionOrder: 'v1' },
					active: false,
				});
				const stored = await restFromPage(editor, ready, 'GET', `/rest/workflows/${id}`);
				const versionId = (JSON.parse(stored.text) as { data?: { versionId?: string } }).data
					?.versionId;
				const activated = await restFromPage(
					editor,
					ready,
					'POST',
					`/rest/workflows/${id}/activate`,
					{
						versionId,
					},
				);
				assert(
					activated.status === 200,
					`activating ${id}: ${activated.status} ${activated.text.slice(0, 200)}`,
				);
				return { id, path };
			};
			/**
			 * Posts the alert to the copy's webhook as the softphone's button does (from Node, no
			 * Origin), once n8n has registered it: 2.x registers a just activated workflow late.
			 */
			const alert = async (path: string, text: string): Promise<number> => {
				alerts.push(text);
				const since = Date.now();
				const ca = fs.readFileSync(ready.tls.caCertPath, 'utf8');
				for (let i = 0; ; i++) {
					const answer = await httpsRequest(`${ready.url}/webhook/${path}`, ca, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ text }),
					});
					if (answer.status !== 404) {
						assert(
							answer.status === 200,
							`the alert's webhook answered ${answer.status}: ${answer.text.slice(0, 200)}`,
						);
						return since;
					}
					assert(i < 40, `the copy's webhook ${path} was never registered`);
					await editor.waitForTimeout(500);
				}
			};
			const chatPost = async (pattern: RegExp): Promise<string> => {
				const post = phone.locator('#chat li').filter({ hasText: pattern }).first();
				await post.waitFor({ timeout: CALL_TIMEOUT });
				return (await post.innerText()).replace(/\s+/g, ' ');
			};

			// The first page fails: its error output goes to "Page the backup".
			const first = await copy('first', ['Page the on-call engineer']);
			const firstSince = await alert(first.path, 'Search is down');
			const backup = card(phone, BACKUP);
			await backup.and(phone.locator('[data-state="ringing"]')).waitFor({ timeout: CALL_TIMEOUT });
			assert(
				(await card(phone, ON_CALL).and(phone.locator('[data-state="ringing"]')).count()) === 0,
				'the on-call engineer rings although their page failed',
			);
			await backup.locator('button[data-action="answer"]').click();
			const audio = backup.locator('audio[data-leg]');
			await audio.waitFor({ timeout: CALL_TIMEOUT });
			const presence = await heardPrompt(audio, undefined);
			await backup.locator(`button[data-key="${PRESENCE_KEY}"]`).click();
			await heardPrompt(audio, presence.audioId);
			await backup.locator('button[data-key="1"]').click();
			const acknowledged = await chatPost(/Search is down: acknowledged by Backup engineer/);
			const firstRun = await finishedExecution(editor, ready, first.id, firstSince);
			assert(firstRun.status === 'success', `execution ${firstRun.id} ended "${firstRun.status}"`);

			// Both pages fail: the backup's error output still reaches Summarize and the chat.
			const both = await copy('both', ['Page the on-call engineer', 'Page the backup']);
			const bothSince = await alert(both.path, 'Email is down');
			const failed = await chatPost(/Email is down: NOBODY acknowledged/);
			assert(
				/"failed" \(.*Resource Account ID.*\)/.test(failed),
				`the post does not carry the outcome "failed" and the node's error: ${failed}`,
			);
			const bothRun = await finishedExecution(editor, ready, both.id, bothSince);
			assert(bothRun.status === 'success', `execution ${bothRun.id} ended "${bothRun.status}"`);
			return `first fails: "${acknowledged.slice(0, 80)}" (execution ${firstRun.id} ${firstRun.status}); both fail: "${failed.slice(0, 160)}" (execution ${bothRun.id} ${bothRun.status})`;
		},
	);

	await check(
		'"Call the bot" on the softphone: the routing example answers, the caller hears "Connecting you.", the support engineer’s phone rings with the transferred call',
		async () => {
			const since = Date.now();
			await card(phone, CALLER).locator('button[data-action="call-bot"]').click();
			const support = card(phone, `user:${ready.routing.support.id}`);
			await support.and(phone.locator('[data-state="ringing"]')).waitFor({ timeout: CALL_TIMEOUT });
			const ringing = (await support.locator('.status').innerText()).replace(/\s+/g, ' ');
			assert(/Test User \(transferred by the bot\)/.test(ringing), `the card reads "${ringing}"`);
			const callerRecent = phone
				.locator('#recent li')
				.filter({ hasText: /Test User → / })
				.first();
			await callerRecent.waitFor();
			// The transfer can end the call while Graph is still fetching the prompt (the example
			// transfers right after Play Prompt): the caller's entry then gains it a moment later.
			await callerRecent
				.filter({ hasText: /heard \d+ prompt/ })
				.waitFor({ timeout: 15_000 })
				.catch(() => undefined);
			const callerText = (await callerRecent.innerText()).replace(/\s+/g, ' ');
			assert(
				/heard 1 prompt/.test(callerText) &&
					/transferred by the bot to Alex Wilber/.test(callerText),
				`the caller's call reads "${callerText}"`,
			);
			await support.locator('button[data-action="answer"]').click();
			await support.and(phone.locator('[data-state="connected"]')).waitFor();
			await support.locator('button[data-action="hangup"]').click();
			await support.and(phone.locator('[data-state="idle"]')).waitFor();
			const execution = await finishedExecution(editor, ready, ready.routing.workflowId, since);
			assert(
				execution.status === 'success',
				`execution ${execution.id} of the routing example ended "${execution.status}"`,
			);
			return `caller: "${callerText}"; support: "${ringing}"; execution ${execution.id} ${execution.status}`;
		},
	);
	await phone.close();
}
