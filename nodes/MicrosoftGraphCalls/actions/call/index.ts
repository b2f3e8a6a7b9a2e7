import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import { answer } from './answer.operation';
import { create } from './create.operation';
import { get } from './get.operation';
import { hangUp } from './hangUp.operation';
import { keepAlive } from './keepAlive.operation';
import { callAndWaitForKeypress } from './callAndWaitForKeypress.operation';
import { cancelMediaProcessing } from './cancelMediaProcessing.operation';
import { playPrompt } from './playPrompt.operation';
import { recordResponse } from './recordResponse.operation';
import { sendDtmfTones } from './sendDtmfTones.operation';
import { subscribeToTone } from './subscribeToTone.operation';
import { redirect } from './redirect.operation';
import { reject } from './reject.operation';
import { transfer } from './transfer.operation';

export const operations: Record<string, Operation> = {
	create,
	get,
	hangUp,
	keepAlive,
	answer,
	reject,
	redirect,
	transfer,
	playPrompt,
	recordResponse,
	subscribeToTone,
	sendDtmfTones,
	cancelMediaProcessing,
	callAndWaitForKeypress,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Answer',
				value: 'answer',
				action: 'Answer an incoming call',
				description: 'Pick up a call to the bot, within 15 seconds of the Incoming Call event',
			},
			{
				name: 'Call and Wait for Keypress',
				value: 'callAndWaitForKeypress',
				action: 'Call and wait for a keypress',
				description:
					'Call a person, play a prompt and wait until they press a key, decline, hang up or time out',
			},
			{
				name: 'Cancel Media Processing',
				value: 'cancelMediaProcessing',
				action: 'Cancel media processing in a call',
				description: 'Stop the prompt or recording in progress and the queued ones',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a call',
				description: 'Start a call to Teams users or a phone number, or join a Teams meeting',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a call',
				description: 'Get the state of a call the app is in',
			},
			{
				name: 'Hang Up',
				value: 'hangUp',
				action: 'Hang up a call',
				description: 'Leave the call (in a group call or meeting, the others stay)',
			},
			{
				name: 'Keep Alive',
				value: 'keepAlive',
				action: 'Keep a call alive',
				description:
					'Tell Graph the call is still wanted; calls not kept alive within 45 minutes end',
			},
			{
				name: 'Play Prompt',
				value: 'playPrompt',
				action: 'Play a prompt in a call',
				description: 'Play WAV audio files to the other side of the call',
			},
			{
				name: 'Record Response',
				value: 'recordResponse',
				action: 'Record a response in a call',
				description: 'Play an optional prompt, then record up to 2 minutes of what is said',
			},
			{
				name: 'Redirect',
				value: 'redirect',
				action: 'Redirect an incoming call',
				description: 'Send an unanswered call to other people, numbers or voicemail',
			},
			{
				name: 'Reject',
				value: 'reject',
				action: 'Reject an incoming call',
				description: 'Decline a call to the bot (none, busy or forbidden)',
			},
			{
				name: 'Send DTMF Tones',
				value: 'sendDtmfTones',
				action: 'Send DTMF tones in a call',
				description: 'Press phone keys in the call, e.g. to navigate a voice menu',
			},
			{
				name: 'Subscribe to Tone',
				value: 'subscribeToTone',
				action: 'Subscribe to tones in a call',
				description: 'Receive every key the other side presses as a Tone event of the trigger',
			},
			{
				name: 'Transfer',
				value: 'transfer',
				action: 'Transfer a call',
				description: 'Hand an established peer-to-peer call over to a Teams user or number',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...hangUp.description,
	...keepAlive.description,
	...playPrompt.description,
	...recordResponse.description,
	...subscribeToTone.description,
	...sendDtmfTones.description,
	...cancelMediaProcessing.description,
	...callAndWaitForKeypress.description,
	...answer.description,
	...reject.description,
	...redirect.description,
	...transfer.description,
];
