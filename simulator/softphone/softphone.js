// The softphone page: renders the simulator's snapshot (GET /api/events, Server-Sent Events) and
// acts for a person through the softphone's small JSON API (see simulator/softphone.ts).
// Plain browser JavaScript on purpose: no framework, no build step.
'use strict';

const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** One <audio> per call leg, kept across renders so a prompt is not cut off by the next event. */
const players = new Map();
let state = { bot: { canBeCalled: false }, people: [], recent: [], chat: [], starters: [] };

function el(tag, attributes, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes || {})) {
		if (value === undefined || value === null || value === false) continue;
		if (name === 'class') node.className = value;
		else if (name.startsWith('data-') || name.startsWith('aria-')) node.setAttribute(name, value);
		else node[name] = value;
	}
	for (const child of children.flat()) {
		if (child === undefined || child === null || child === false) continue;
		node.append(child instanceof Node ? child : document.createTextNode(String(child)));
	}
	return node;
}

function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

function clock(since) {
	const total = Math.max(0, Math.floor((Date.now() - since) / 1000));
	return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

function timeOfDay(at) {
	return new Date(at).toLocaleTimeString([], {
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	});
}

function initials(name) {
	return name
		.split(/\s+/)
		.filter(Boolean)
		.slice(0, 2)
		.map((word) => word[0].toUpperCase())
		.join('');
}

function notice(text) {
	const node = document.getElementById('notice');
	node.textContent = text;
	node.hidden = !text;
}

async function act(path, body) {
	notice('');
	try {
		const answer = await fetch(path, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body || {}),
		});
		const text = await answer.text();
		if (!answer.ok) {
			let message = text;
			try {
				message = JSON.parse(text).error || text;
			} catch {
				// not JSON: show it as it came
			}
			notice(`Not done: ${message}`);
			return undefined;
		}
		return text ? JSON.parse(text) : {};
	} catch (error) {
		notice(`The softphone's server did not answer: ${error.message}`);
		return undefined;
	}
}

/** The prompt player of a leg: plays each prompt the moment the snapshot says it started. */
function playerFor(leg) {
	let player = players.get(leg.id);
	if (!player) {
		const audio = el('audio', { controls: true, preload: 'auto', 'data-leg': leg.id });
		player = { audio, heard: 0 };
		players.set(leg.id, player);
	}
	if (leg.prompts.length > player.heard) {
		const latest = leg.prompts[leg.prompts.length - 1];
		const source = `/api/audio/${latest.audioId}`;
		player.audio.dataset.durationMs = String(latest.durationMs);
		if (player.audio.dataset.audio !== latest.audioId) {
			player.audio.dataset.audio = latest.audioId;
			player.audio.src = source;
		} else player.audio.currentTime = 0;
		player.heard = leg.prompts.length;
		// Answering was a click on this page, so the browser lets it play.
		player.audio.play().catch(() => notice('Press play to hear the prompt.'));
	}
	return player.audio;
}

/**
 * A prompt that was playing when its call ended (the bot transferred or hung up) plays to its end
 * out of sight, as the last words a caller hears; then its player goes.
 */
function retireFinishedPlayers(openLegIds) {
	for (const [legId, player] of players) {
		if (openLegIds.has(legId)) continue;
		players.delete(legId);
		if (player.audio.paused || player.audio.ended) continue;
		document.getElementById('finishing').append(player.audio);
		player.audio.addEventListener('ended', () => player.audio.remove(), { once: true });
	}
}

function statusLine(leg) {
	if (leg.state === 'ringing') return ['Ringing: ', el('strong', {}, leg.peer), ' is calling'];
	if (leg.state === 'calling') return ['Calling ', el('strong', {}, leg.peer), '…'];
	return [
		'In a call with ',
		el('strong', {}, leg.peer),
		' · ',
		el(
			'span',
			{ class: 'elapsed', 'data-since': String(leg.answeredAt || leg.startedAt) },
			clock(leg.answeredAt || leg.startedAt),
		),
	];
}

/** Every prompt of the leg is the same audio (a prompt repeated), or not (a page: "press any key", then the alert). */
function samePrompt(leg) {
	return leg.prompts.every((prompt) => prompt.audioId === leg.prompts[0].audioId);
}

/** Each prompt's length in order, e.g. "3.5 s, 4.7 s". */
function promptLengths(leg) {
	return leg.prompts.map((prompt) => seconds(prompt.durationMs)).join(', ');
}

function heardLine(leg) {
	const parts = [];
	if (leg.prompts.length > 0) {
		const n = leg.prompts.length;
		parts.push(
			samePrompt(leg)
				? `The bot played its prompt (${seconds(leg.prompts[0].durationMs)})${n > 1 ? ` ${n} times` : ''}`
				: `The bot played ${n} prompts (${promptLengths(leg)})`,
		);
	}
	if (leg.keys.length > 0) parts.push(`pressed ${leg.keys.join(' ')}`);
	return parts.length > 0 ? el('p', { class: 'heard' }, parts.join(' · ')) : undefined;
}

function legBlock(leg) {
	const block = el('div', { class: 'leg', 'data-leg': leg.id, 'data-state': leg.state });
	block.append(el('p', { class: 'status' }, statusLine(leg)));
	const buttons = el('div', { class: 'buttons' });
	if (leg.state === 'ringing' && leg.canAnswer) {
		buttons.append(
			el(
				'button',
				{
					class: 'answer',
					'data-action': 'answer',
					onclick: () => act(`/api/legs/${leg.id}/answer`),
				},
				'Answer',
			),
			el(
				'button',
				{
					class: 'decline',
					'data-action': 'decline',
					onclick: () => act(`/api/legs/${leg.id}/decline`),
				},
				'Decline',
			),
		);
	}
	if (leg.state === 'connected' || leg.state === 'calling') {
		buttons.append(
			el(
				'button',
				{
					class: 'hangup',
					'data-action': 'hangup',
					onclick: () => act(`/api/legs/${leg.id}/hangup`),
				},
				'Hang up',
			),
		);
	}
	block.append(buttons);
	if (leg.state === 'connected') {
		block.append(
			el(
				'div',
				{ class: 'keypad', 'aria-label': 'Keypad' },
				KEYPAD.map((key) =>
					el(
						'button',
						{
							'data-key': key,
							'aria-label': `Press ${key}`,
							onclick: () => act(`/api/legs/${leg.id}/keys`, { key }),
						},
						key,
					),
				),
			),
		);
		if (leg.prompts.length > 0) block.append(el('div', { class: 'player' }, playerFor(leg)));
		const heard = heardLine(leg);
		if (heard) block.append(heard);
	}
	return block;
}

function personCard(person) {
	const busy = person.legs.length > 0;
	const card = el('article', {
		class: 'person',
		'data-person': person.key,
		'data-state': busy ? person.legs[person.legs.length - 1].state : 'idle',
	});
	card.append(
		el(
			'div',
			{ class: 'who' },
			el(
				'span',
				{ class: 'avatar', 'aria-hidden': 'true' },
				person.kind === 'phone' ? '☎' : initials(person.displayName),
			),
			el(
				'div',
				{},
				el('h3', {}, person.displayName),
				el(
					'p',
					{ class: 'identity' },
					person.kind === 'phone'
						? `${person.id} · phone`
						: `Teams user · ${person.id.slice(0, 8)}…`,
				),
				person.note ? el('p', { class: 'note' }, person.note) : undefined,
			),
		),
	);
	if (busy) for (const leg of person.legs) card.append(legBlock(leg));
	else {
		card.append(el('p', { class: 'status idle' }, 'Idle'));
		if (state.bot.canBeCalled)
			card.append(
				el(
					'div',
					{ class: 'buttons' },
					el(
						'button',
						{
							class: 'call-bot',
							'data-action': 'call-bot',
							onclick: () => act('/api/call-bot', { person: person.key }),
						},
						'Call the bot',
					),
				),
			);
	}
	return card;
}

function recentItem(leg) {
	const arrow = leg.direction === 'fromPerson' ? '→' : '←';
	const facts = [];
	if (leg.answeredAt) facts.push(`answered after ${seconds(leg.answeredAt - leg.startedAt)}`);
	if (leg.prompts.length > 0)
		facts.push(
			`heard ${leg.prompts.length} prompt${leg.prompts.length > 1 ? 's' : ''} (${samePrompt(leg) ? seconds(leg.prompts[0].durationMs) : promptLengths(leg)})`,
		);
	if (leg.keys.length > 0) facts.push(`pressed ${leg.keys.join(' ')}`);
	facts.push(`ended: ${leg.endedBecause}`);
	return el(
		'li',
		{ 'data-leg': leg.id },
		el('strong', {}, `${leg.person} ${arrow} ${leg.peer}`),
		el('span', { class: 'when' }, timeOfDay(leg.endedAt || leg.startedAt)),
		el('span', { class: 'facts' }, facts.join(' · ')),
	);
}

function chatItem(post) {
	const body = post.body;
	const text =
		body && typeof body === 'object' && typeof body.text === 'string'
			? body.text
			: JSON.stringify(body, null, 2);
	return el(
		'li',
		{},
		el('span', { class: 'when' }, timeOfDay(post.at)),
		el('p', { class: 'chat-text' }, text.length > 600 ? `${text.slice(0, 600)}…` : text),
	);
}

function render() {
	const open = new Set();
	for (const person of state.people) for (const leg of person.legs) open.add(leg.id);
	const people = document.getElementById('people');
	people.replaceChildren(...state.people.map(personCard));
	retireFinishedPlayers(open);

	const starters = document.getElementById('starters');
	starters.hidden = state.starters.length === 0;
	starters.querySelector('.starter-list').replaceChildren(
		...state.starters.map((starter) =>
			el(
				'button',
				{
					class: 'starter',
					'data-starter': String(starter.index),
					onclick: async () => {
						const output = document.getElementById('starter-answer');
						output.textContent = 'sending…';
						const answer = await act(`/api/starters/${starter.index}`);
						output.textContent = answer ? `The workflow's webhook answered ${answer.answer}.` : '';
					},
				},
				starter.label,
			),
		),
	);
	const chat = document.querySelector('#chat .chat-list');
	chat.replaceChildren(
		...(state.chat.length > 0
			? state.chat.map(chatItem)
			: [el('li', { class: 'empty' }, 'Nothing posted yet.')]),
	);
	const recent = document.querySelector('#recent .recent-list');
	recent.replaceChildren(
		...(state.recent.length > 0
			? state.recent.map(recentItem)
			: [el('li', { class: 'empty' }, 'No calls yet.')]),
	);
}

function connect() {
	const connection = document.getElementById('connection');
	const events = new EventSource('/api/events');
	events.addEventListener('state', (event) => {
		state = JSON.parse(event.data);
		connection.dataset.state = 'live';
		connection.textContent = 'live';
		render();
	});
	events.addEventListener('error', () => {
		connection.dataset.state = 'lost';
		connection.textContent = 'reconnecting…';
	});
}

setInterval(() => {
	for (const node of document.querySelectorAll('.elapsed'))
		node.textContent = clock(Number(node.dataset.since));
}, 1000);
connect();
