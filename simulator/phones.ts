/**
 * The phones of the simulated tenant's people (directory.ts): which calls ring for whom, which
 * are up, what each person heard and pressed. The simulator's call and media code tells this
 * centre what happens (ring, join, prompt, end); the softphone (softphone.ts) shows it and acts
 * for the person (answer, decline, press a key, hang up), and so can a script (the demo).
 *
 * Nothing here sends anything to a bot: acting goes back through the hooks the simulator gave
 * (its callback centre ends or answers calls with Graph's documented notifications, its media
 * centre turns a key into a tone notification). This centre is ours, not Graph's.
 *
 * - A "leg" is one person's side of one call: `toPerson` (the bot, or a transfer, rings them) or
 *   `fromPerson` (they called the bot). States: ringing, calling, connected, ended.
 * - Audio: every prompt the simulator fetched and played in a call is kept (bounded by bytes,
 *   oldest dropped first) under an ID made from its bytes, so the softphone can play exactly what
 *   Graph would have played, even when only n8n could serve it.
 */
import { createHash } from 'node:crypto';

import { DEFAULT_PEOPLE, personFor, type Person } from './directory';
import { newId } from './ids';
import type { RosterParticipant, SimulatedCall } from './types';
import { wavDurationMs } from './wav';

export type LegState = 'ringing' | 'calling' | 'connected' | 'ended';

export interface PlayedPrompt {
	/** GET /api/audio/<audioId> on the softphone's origin. */
	audioId: string;
	durationMs: number;
	/** The URL Graph fetched it from. */
	uri: string;
	at: number;
}

export interface PhoneLeg {
	id: string;
	callId: string;
	person: Person;
	direction: 'toPerson' | 'fromPerson';
	/** Who is on the other end, in words ("Graph Simulator Bot"). */
	peer: string;
	state: LegState;
	startedAt: number;
	answeredAt?: number;
	endedAt?: number;
	/** Why it ended, in words ("the bot hung up"). */
	endedBecause?: string;
	prompts: PlayedPrompt[];
	/** Keys the person pressed, in order ("1", "#"). */
	keys: string[];
	/** Answer and decline are offered (a ringing call placed by the bot). */
	canAnswer: boolean;
	/** Rings because the bot transferred a call here: Graph no longer takes part. */
	afterTransfer?: boolean;
}

/** What answering or declining a ringing call does; false when it was already settled. */
export interface RingActions {
	answer(): boolean;
	decline(): boolean;
}

/** How acting for a person reaches the simulator (wired by startGraphSimulator). */
export interface PhoneActions {
	/** The person hangs up: the call ends (or, in a group call, they leave). */
	hangUp(call: SimulatedCall, personKey: string): void;
	/** The person presses a key (Graph's tone name: tone1, star, pound…). */
	pressTone(callId: string, tone: string): void;
}

/** Knobs of the softphone's side. */
export interface PhoneKnobs {
	/** Bytes of prompt audio kept for the softphone (oldest dropped first). */
	maxAudioBytes: number;
	/** Legs kept (oldest ended ones dropped first). */
	maxLegs: number;
}

const TONE_OF_KEY: Record<string, string> = { '*': 'star', '#': 'pound' };
/** The keys of a phone's keypad (Graph's tone names also have a-d and flash, no phone has them). */
export const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

const sameKey = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export class PhoneCenter {
	readonly knobs: PhoneKnobs = { maxAudioBytes: 32 * 1024 * 1024, maxLegs: 200 };
	private readonly directory: Person[];
	private readonly extraPeople: Person[] = [];
	private readonly allLegs: PhoneLeg[] = [];
	private readonly ringing = new Map<string, RingActions>();
	private readonly audioFiles = new Map<string, Buffer>();
	private audioBytes = 0;
	private readonly listeners = new Set<() => void>();
	private actions: PhoneActions | undefined;

	constructor(people: readonly Person[] = DEFAULT_PEOPLE) {
		this.directory = [...people];
	}

	/** Set once by the simulator: how acting for a person reaches its call and media code. */
	wire(actions: PhoneActions): void {
		this.actions = actions;
	}

	// ---- reading ---------------------------------------------------------------------------

	/** The directory, then anyone else a call rang for. */
	people(): Person[] {
		return [...this.directory, ...this.extraPeople];
	}

	/** Every leg kept, oldest first (live objects: read, do not change). */
	legs(): readonly PhoneLeg[] {
		return this.allLegs;
	}

	leg(id: string): PhoneLeg | undefined {
		return this.allLegs.find((l) => l.id === id);
	}

	/** The legs of one person, oldest first. */
	legsOf(personKey: string): PhoneLeg[] {
		return this.allLegs.filter((l) => sameKey(l.person.key, personKey));
	}

	/** A prompt's WAV as the simulator fetched it. */
	audio(audioId: string): Buffer | undefined {
		return this.audioFiles.get(audioId);
	}

	/** Called after every change; returns the unsubscribe function. */
	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	// ---- acting for a person (the softphone, a script) -------------------------------------

	/** Undefined when done, else why not (the leg is not ringing, unknown…). */
	answer(legId: string): string | undefined {
		const leg = this.leg(legId);
		const ring = this.ringing.get(legId);
		if (!leg || leg.state !== 'ringing' || !ring) return 'that call is not ringing';
		if (!ring.answer()) return 'that call is no longer ringing';
		return undefined;
	}

	decline(legId: string): string | undefined {
		const leg = this.leg(legId);
		const ring = this.ringing.get(legId);
		if (!leg || leg.state !== 'ringing' || !ring) return 'that call is not ringing';
		if (!ring.decline()) return 'that call is no longer ringing';
		this.end(leg, 'declined');
		return undefined;
	}

	hangUp(legId: string, call: SimulatedCall | undefined): string | undefined {
		const leg = this.leg(legId);
		if (!leg || (leg.state !== 'connected' && leg.state !== 'calling'))
			return 'that call is not up';
		if (leg.afterTransfer) {
			this.end(leg, 'hung up');
			return undefined;
		}
		if (!call || call.state === 'terminated') {
			this.end(leg, 'the call had already ended');
			return undefined;
		}
		this.end(leg, 'hung up');
		this.actions?.hangUp(call, leg.person.key);
		return undefined;
	}

	pressKey(legId: string, key: string): string | undefined {
		const leg = this.leg(legId);
		if (!KEYPAD.includes(key)) return `"${key}" is not a key of a phone's keypad`;
		if (!leg || leg.state !== 'connected') return 'that call is not up';
		leg.keys.push(key);
		this.changed();
		if (!leg.afterTransfer) this.actions?.pressTone(leg.callId, TONE_OF_KEY[key] ?? `tone${key}`);
		return undefined;
	}

	// ---- told by the simulator -------------------------------------------------------------

	/** The bot calls someone (or invites them): their phone rings until `actions` settle it. */
	ring(call: SimulatedCall, participant: RosterParticipant, actions: RingActions): PhoneLeg {
		const leg = this.addLeg(call, participant.identityKey, displayNameOf(participant), 'toPerson');
		leg.state = 'ringing';
		leg.canAnswer = true;
		this.ringing.set(leg.id, actions);
		this.changed();
		return leg;
	}

	/** Someone calls the bot (incomingCalls.ts): their side shows "calling" until the bot acts. */
	calling(call: SimulatedCall, personKey: string, displayName: string | undefined): PhoneLeg {
		const leg = this.addLeg(call, personKey, displayName, 'fromPerson');
		leg.state = 'calling';
		this.changed();
		return leg;
	}

	/** A person is in the call now (answered, or joined because the simulator answers for them). */
	joined(call: SimulatedCall, participant: RosterParticipant): void {
		const open = this.openLeg(call.id, participant.identityKey);
		const leg =
			open ?? this.addLeg(call, participant.identityKey, displayNameOf(participant), 'toPerson');
		this.markConnected(leg);
	}

	/** The bot answered an incoming call: the caller is connected. */
	answeredByBot(call: SimulatedCall): void {
		for (const leg of this.openLegsOf(call.id))
			if (leg.state === 'calling') this.markConnected(leg);
	}

	/**
	 * The bot transferred the call: the caller's side ends and the target's phone rings. Graph's
	 * part is over (the bot left the call), so answering, declining and hanging up that ring only
	 * change what the softphone shows.
	 */
	transferred(call: SimulatedCall, targetKey: string, targetName: string | undefined): PhoneLeg {
		const callers = this.openLegsOf(call.id);
		const target = personFor(targetKey, targetName, this.people());
		for (const leg of callers) this.end(leg, `transferred by the bot to ${target.displayName}`);
		const leg = this.addLeg(call, targetKey, targetName, 'toPerson');
		leg.peer = `${callers[0]?.person.displayName ?? 'the caller'} (transferred by the bot)`;
		leg.afterTransfer = true;
		leg.canAnswer = true;
		this.ringing.set(leg.id, {
			answer: () => {
				this.markConnected(leg);
				return true;
			},
			decline: () => true,
		});
		this.changed();
		return leg;
	}

	/** A ringing call ended unanswered for this person (declined, no answer). */
	notReached(call: SimulatedCall, personKey: string, because: string): void {
		const leg = this.openLeg(call.id, personKey);
		if (leg) this.end(leg, because);
	}

	/** The call ended for everyone in it; legs still open end with `because`. */
	callEnded(call: SimulatedCall, because: string): void {
		for (const leg of this.openLegsOf(call.id)) if (!leg.afterTransfer) this.end(leg, because);
	}

	/**
	 * After every notification the simulator sends about `call`: legs of a call that ended, and
	 * of people no longer in its roster, end (with a reason only when nothing more precise
	 * already ended them).
	 */
	callChanged(call: SimulatedCall): void {
		for (const leg of this.openLegsOf(call.id)) {
			if (leg.afterTransfer) continue;
			if (call.state === 'terminated') this.end(leg, 'the call ended');
			else if (
				leg.state === 'connected' &&
				leg.direction === 'toPerson' &&
				!call.participants.some((p) => sameKey(p.identityKey, leg.person.key))
			)
				this.end(leg, 'no longer in the call');
		}
	}

	/** The legs that hear what the call plays from now on: the connected ones (their IDs). */
	listenersOf(call: SimulatedCall): string[] {
		return this.openLegsOf(call.id)
			.filter((l) => l.state === 'connected')
			.map((l) => l.id);
	}

	/**
	 * Prompts start playing in the call: everyone connected hears them, in order. `listeners`: the
	 * legs that were connected when Graph took the request (listenersOf), who hear it even if the
	 * call was transferred or hung up while Graph fetched the file (the page plays the last words
	 * to their end).
	 */
	promptsPlaying(
		call: SimulatedCall,
		files: Array<{ uri: string; wav: Buffer }>,
		listeners?: readonly string[],
	): void {
		const connected =
			listeners === undefined
				? this.openLegsOf(call.id).filter((l) => l.state === 'connected')
				: this.allLegs.filter((l) => listeners.includes(l.id));
		if (connected.length === 0) return;
		const at = Date.now();
		for (const file of files) {
			const audioId = this.keepAudio(file.wav);
			const prompt: PlayedPrompt = {
				audioId,
				durationMs: wavDurationMs(file.wav) ?? 0,
				uri: file.uri,
				at,
			};
			for (const leg of connected) leg.prompts.push(prompt);
		}
		this.changed();
	}

	/** Forgets every leg and every audio file (the simulator's reset). */
	reset(): void {
		this.allLegs.length = 0;
		this.ringing.clear();
		this.audioFiles.clear();
		this.audioBytes = 0;
		this.extraPeople.length = 0;
		this.changed();
	}

	// ---- inside ----------------------------------------------------------------------------

	private addLeg(
		call: SimulatedCall,
		personKey: string,
		displayName: string | undefined,
		direction: PhoneLeg['direction'],
	): PhoneLeg {
		const person = personFor(personKey, displayName, this.people());
		if (!this.people().some((p) => sameKey(p.key, person.key))) this.extraPeople.push(person);
		const bot = call.participants[0]?.identity.application;
		const peer =
			typeof bot === 'object' && bot !== null && !Array.isArray(bot) && 'displayName' in bot
				? String(bot.displayName)
				: 'the bot';
		const leg: PhoneLeg = {
			id: newId(),
			callId: call.id,
			person,
			direction,
			peer,
			state: 'ringing',
			startedAt: Date.now(),
			prompts: [],
			keys: [],
			canAnswer: false,
		};
		this.allLegs.push(leg);
		this.trim();
		return leg;
	}

	private markConnected(leg: PhoneLeg): void {
		if (leg.state === 'connected' || leg.state === 'ended') return;
		leg.state = 'connected';
		leg.answeredAt = Date.now();
		leg.canAnswer = false;
		this.ringing.delete(leg.id);
		this.changed();
	}

	private end(leg: PhoneLeg, because: string): void {
		if (leg.state === 'ended') return;
		leg.state = 'ended';
		leg.endedAt = Date.now();
		leg.endedBecause = because;
		leg.canAnswer = false;
		this.ringing.delete(leg.id);
		this.changed();
	}

	private openLeg(callId: string, personKey: string): PhoneLeg | undefined {
		return this.openLegsOf(callId).find((l) => sameKey(l.person.key, personKey));
	}

	private openLegsOf(callId: string): PhoneLeg[] {
		return this.allLegs.filter((l) => sameKey(l.callId, callId) && l.state !== 'ended');
	}

	private keepAudio(wav: Buffer): string {
		const audioId = createHash('sha256').update(wav).digest('base64url').slice(0, 22);
		if (this.audioFiles.has(audioId)) return audioId;
		this.audioFiles.set(audioId, wav);
		this.audioBytes += wav.length;
		// Oldest first (a Map keeps insertion order); never drop the file just kept.
		for (const [id, file] of this.audioFiles) {
			if (this.audioBytes <= this.knobs.maxAudioBytes || id === audioId) break;
			this.audioFiles.delete(id);
			this.audioBytes -= file.length;
		}
		return audioId;
	}

	private trim(): void {
		while (this.allLegs.length > this.knobs.maxLegs) {
			const index = this.allLegs.findIndex((l) => l.state === 'ended');
			if (index < 0) return;
			this.allLegs.splice(index, 1);
		}
	}

	private changed(): void {
		for (const listener of this.listeners) {
			try {
				listener();
			} catch {
				// A listener's failure (a closed socket) is its own business.
			}
		}
	}
}

/** The display name the bot gave for this participant, if any. */
function displayNameOf(participant: RosterParticipant): string | undefined {
	for (const value of Object.values(participant.identity)) {
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			const name = (value as { displayName?: unknown }).displayName;
			if (typeof name === 'string' && name !== '') return name;
		}
	}
	return undefined;
}
