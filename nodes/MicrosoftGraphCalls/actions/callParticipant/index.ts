import { defineResource } from '../../engine/resource';
import { get } from './get.operation';
import { invite } from './invite.operation';
import { list } from './list.operation';
import { mute } from './mute.operation';
import { remove } from './remove.operation';
import { startHoldMusic } from './startHoldMusic.operation';
import { stopHoldMusic } from './stopHoldMusic.operation';

export const callParticipant = defineResource({
	value: 'callParticipant',
	name: 'Call Participant',
	readmeSection: 'call-participant',
	defaultOperation: 'invite',
	operations: [get, invite, list, mute, remove, startHoldMusic, stopHoldMusic],
});
