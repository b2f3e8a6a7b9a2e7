/**
 * The softphone in the same headless Chromium as the editor (issue 24), against dev mode's
 * simulator and its two active examples:
 *   - the page example, started with the softphone's own "Send an alert" button: the on-call
 *     engineer's phone rings, is answered, the prompt's <audio> lasts as long as the spoken
 *     prompt, "1" resumes the waiting execution, the chat post arrives on the page and n8n lists
 *     the execution as a success;
 *   - "Call the bot": the routing example answers, plays "Connecting you." and transfers the call
 *     to the support engineer, whose phone rings there.
 * Screenshots: the ringing phone, the call with its prompt and keypad, and the page after the key
 * (docs/screenshots/softphone-*.png).
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';

import { restFromPage, type CheckTools, type EditorReady } from './formChecks';

export interface SoftphoneReady extends EditorReady {
	softphone: { url: string; chatUrl: string; botWebhookUrl: string };
	page: { workflowId: string; alertUrl: string; promptDurationMs: number };
	routing: { workflowId: string; promptDurationMs: number; support: { id: string; name: string } };
}

const ON_CALL = 'phone:+14255550101';
const CALLER = 'user:8a34a46b-88d8-4a83-8a2e-6e2b5e9a4d11';
/** A page rings after n8n ran two nodes and Graph set the call up: generous on a loaded machine. */
const CALL_TIMEOUT = 90_000;
/** The browser's duration of a WAV may differ from the header's by a frame's rounding. */
const DURATION_TOLERANCE_MS = 50;

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
		'page example on the softphone: rings, answered, the prompt’s audio lasts as long as the prompt, "1" resumes the execution, the chat post arrives, n8n lists a success',
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
			const heard = await audio.evaluate(
				async (element) => {
					// No DOM lib in this tsconfig: the element's shape, structurally.
					const media = element as unknown as {
						readyState: number;
						duration: number;
						src: string;
						currentTime: number;
						paused: boolean;
					};
					for (
						let i = 0;
						i < 200 && !(media.readyState >= 1 && Number.isFinite(media.duration));
						i++
					)
						await new Promise((resolve) => setTimeout(resolve, 50));
					return {
						durationMs: Math.round(media.duration * 1000),
						src: media.src,
						playing: !media.paused || media.currentTime > 0,
					};
				},
				undefined,
				{ timeout: 30_000 },
			);
			assert(
				Math.abs(heard.durationMs - ready.page.promptDurationMs) <= DURATION_TOLERANCE_MS,
				`the <audio> lasts ${heard.durationMs} ms; the prompt ${ready.page.promptDurationMs} ms`,
			);
			assert(
				heard.src.startsWith(new URL(ready.softphone.url).origin),
				`the audio comes from ${heard.src}`,
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
			assert(/pressed 1/.test(recentText), `the recent call reads "${recentText}"`);
			await phone.mouse.move(5, 890);
			await phone.waitForTimeout(300);
			const pressedFile = await shot(phone, 'softphone-pressed');

			const execution = await finishedExecution(editor, ready, ready.page.workflowId, since);
			assert(
				execution.status === 'success',
				`execution ${execution.id} of the page example ended "${execution.status}"`,
			);
			return `"${ringing}"; <audio> ${heard.durationMs} ms (prompt ${ready.page.promptDurationMs} ms${heard.playing ? ', playing' : ''}); chat "${posted.slice(0, 90)}"; execution ${execution.id} ${execution.status}; ${ringingFile}, ${answeredFile}, ${pressedFile}`;
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
