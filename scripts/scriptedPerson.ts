/**
 * A person played by a script through the simulator's phones (simulator/phones.ts), exactly as
 * the softphone page acts for one: their phone rings, they answer after a moment, listen to the
 * whole of each prompt, press a key after it. The demo uses it to show a page in real n8n without a browser; what
 * happened is kept as a timeline of lines for people.
 */
import type { GraphSimulator, PhoneLeg } from '../simulator';

export interface ScriptedPerson {
	/** "  1.2 s  …" lines (seconds since the script started), in order. */
	timeline: string[];
	/** Resolves when their call has ended. */
	ended: Promise<PhoneLeg>;
	stop(): void;
}

export function playPerson(
	sim: GraphSimulator,
	personKey: string,
	behaviour: { answerAfterMs: number; key: string; promptWords?: string },
): ScriptedPerson {
	const started = Date.now();
	const timeline: string[] = [];
	const say = (line: string): void => {
		timeline.push(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${line}`);
	};
	const seen = new Map<string, { state: string; prompts: number }>();
	const timers: Array<ReturnType<typeof setTimeout>> = [];
	let finish: (leg: PhoneLeg) => void = () => undefined;
	const ended = new Promise<PhoneLeg>((resolve) => (finish = resolve));

	const follow = (leg: PhoneLeg): void => {
		const before = seen.get(leg.id) ?? { state: '', prompts: 0 };
		seen.set(leg.id, { state: leg.state, prompts: leg.prompts.length });
		if (leg.state !== before.state) {
			if (leg.state === 'ringing') {
				say(`${leg.person.displayName}'s phone (${leg.person.id}) rings: ${leg.peer} is calling`);
				timers.push(setTimeout(() => sim.phones.answer(leg.id), behaviour.answerAfterMs));
			} else if (leg.state === 'connected') say('answered');
			else if (leg.state === 'ended') {
				say(`the call ended: ${leg.endedBecause ?? 'ended'}`);
				finish(leg);
			}
		}
		// Each new prompt is heard to its end, then the key: a phone's page first asks for any key
		// (the presence check), then reads the alert and its menu.
		for (const prompt of leg.prompts.slice(before.prompts)) {
			const which = new URL(prompt.uri).searchParams.get('say');
			const words =
				which === 'presence'
					? 'the presence check ("Press any key to hear it")'
					: behaviour.promptWords === undefined
						? 'the prompt'
						: `"${behaviour.promptWords}"`;
			say(`hears ${words} (${(prompt.durationMs / 1000).toFixed(1)} s: the WAV Graph fetched)`);
			timers.push(
				setTimeout(() => {
					if (sim.phones.pressKey(leg.id, behaviour.key) === undefined)
						say(`${behaviour.key} pressed`);
				}, prompt.durationMs),
			);
		}
	};
	const stop = sim.phones.onChange(() => {
		for (const leg of sim.phones.legsOf(personKey)) follow(leg);
	});
	return {
		timeline,
		ended,
		stop: () => {
			stop();
			for (const timer of timers) clearTimeout(timer);
		},
	};
}
