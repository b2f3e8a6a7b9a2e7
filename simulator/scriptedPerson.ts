/**
 * A person played by a script through the simulator's phones (phones.ts), as the softphone page
 * acts for one: their phone rings; they answer after a moment, decline, or let it ring; they
 * listen to each playback (one or more prompts started together) and press the next of their
 * keys after it, or stay silent like a voicemail box. The demo shows a page with it, the tests
 * play a rota with it. What happened is kept as a timeline of lines for people.
 */
import type { GraphSimulator } from './index';
import type { PhoneLeg, PlayedPrompt } from './phones';

export type RingAction = 'answer' | 'decline' | 'ignore';

export interface PersonScript {
	/**
	 * What they do when their phone rings: one action, or one per ring in order (the last one
	 * for any further ring). Default 'answer'.
	 */
	onRing?: RingAction | RingAction[];
	/** How long it rings before they answer or decline. Default 0. */
	answerAfterMs?: number;
	/** One key after each playback they hear, in order; none left: they stay silent. */
	keys: string[];
	/** When the key comes after a playback appears: default its audio's length (heard to its end). */
	pressAfterMs?: number;
	/** The words of the page's alert, for the timeline. */
	promptWords?: string;
}

export interface ScriptedPerson {
	/** "  1.2 s  …" lines (seconds since the script started), in order. */
	timeline: string[];
	/** Resolves when their first call has ended. */
	ended: Promise<PhoneLeg>;
	/** Keys pressed so far, in order. */
	pressed: string[];
	stop(): void;
}

/** What a played prompt was, from the link n8n gave Graph (`?say=presence` and so on). */
function heard(prompt: PlayedPrompt, words: string | undefined): string {
	const which = new URL(prompt.uri).searchParams.get('say');
	if (which === 'presence') return 'the presence check ("Press any key to hear it")';
	if (which === 'wrong') return '"That is not an option"';
	if (which === 'taken') return '"Someone else has taken this alert"';
	if (which === 'menu') return 'the menu';
	return words === undefined ? 'the prompt' : `"${words}"`;
}

export function playPerson(
	sim: GraphSimulator,
	personKey: string,
	script: PersonScript,
): ScriptedPerson {
	const started = Date.now();
	const timeline: string[] = [];
	const pressed: string[] = [];
	const keys = [...script.keys];
	const say = (line: string): void => {
		timeline.push(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${line}`);
	};
	const seen = new Map<string, { state: string; prompts: number }>();
	const timers: Array<ReturnType<typeof setTimeout>> = [];
	let finish: (leg: PhoneLeg) => void = () => undefined;
	const ended = new Promise<PhoneLeg>((resolve) => (finish = resolve));

	const actions = [script.onRing ?? 'answer'].flat();
	let rings = 0;
	const ring = (leg: PhoneLeg): void => {
		say(`${leg.person.displayName}'s phone (${leg.person.id}) rings: ${leg.peer} is calling`);
		const onRing = actions[Math.min(rings, actions.length - 1)] ?? 'answer';
		rings += 1;
		if (onRing === 'ignore') return;
		timers.push(
			setTimeout(() => {
				if (onRing === 'decline') {
					if (sim.phones.decline(leg.id) === undefined) say('declined');
				} else sim.phones.answer(leg.id);
			}, script.answerAfterMs ?? 0),
		);
	};
	const follow = (leg: PhoneLeg): void => {
		const before = seen.get(leg.id) ?? { state: '', prompts: 0 };
		seen.set(leg.id, { state: leg.state, prompts: leg.prompts.length });
		if (leg.state !== before.state) {
			if (leg.state === 'ringing') ring(leg);
			else if (leg.state === 'connected') say('answered');
			else if (leg.state === 'ended') {
				say(`the call ended: ${leg.endedBecause ?? 'ended'}`);
				finish(leg);
			}
		}
		// Prompts started together are one playback: heard to its end, then the next key.
		const playbacks = new Map<number, PlayedPrompt[]>();
		for (const prompt of leg.prompts.slice(before.prompts))
			playbacks.set(prompt.at, [...(playbacks.get(prompt.at) ?? []), prompt]);
		for (const prompts of playbacks.values()) {
			const durationMs = prompts.reduce((sum, p) => sum + p.durationMs, 0);
			say(
				`hears ${prompts.map((p) => heard(p, script.promptWords)).join(', then ')} (${(durationMs / 1000).toFixed(1)} s: the WAV Graph fetched)`,
			);
			const key = keys.shift();
			if (key === undefined) continue;
			timers.push(
				setTimeout(() => {
					if (sim.phones.pressKey(leg.id, key) !== undefined) return;
					pressed.push(key);
					say(`${key} pressed`);
				}, script.pressAfterMs ?? durationMs),
			);
		}
	};
	const stop = sim.phones.onChange(() => {
		for (const leg of sim.phones.legsOf(personKey)) follow(leg);
	});
	return {
		timeline,
		ended,
		pressed,
		stop: () => {
			stop();
			for (const timer of timers) clearTimeout(timer);
		},
	};
}
