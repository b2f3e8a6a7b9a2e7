import { defineResource } from '../../engine/resource';
import { callAndWaitForKeypress } from '../../features/keypress/callAndWaitForKeypress.operation';
import { answer } from './answer.operation';
import { cancelMediaProcessing } from './cancelMediaProcessing.operation';
import { create } from './create.operation';
import { get } from './get.operation';
import { hangUp } from './hangUp.operation';
import { keepAlive } from './keepAlive.operation';
import { playPrompt } from './playPrompt.operation';
import { recordResponse } from './recordResponse.operation';
import { redirect } from './redirect.operation';
import { reject } from './reject.operation';
import { sendDtmfTones } from './sendDtmfTones.operation';
import { subscribeToTone } from './subscribeToTone.operation';
import { transfer } from './transfer.operation';

export const call = defineResource({
	value: 'call',
	name: 'Call',
	readmeSection: 'call',
	defaultOperation: 'create',
	operations: [
		answer,
		callAndWaitForKeypress,
		cancelMediaProcessing,
		create,
		get,
		hangUp,
		keepAlive,
		playPrompt,
		recordResponse,
		redirect,
		reject,
		sendDtmfTones,
		subscribeToTone,
		transfer,
	],
});
