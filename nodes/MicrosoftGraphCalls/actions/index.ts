/**
 * The node's resources, each listing its operations once. The node's form, its canvas subtitle,
 * the router's dispatch and the permission table are all derived from this list
 * (engine/resource.ts); docs/architecture.md's recipe says how to add an operation.
 */
import type { Resource } from '../engine/resource';
import { app } from './app';
import { call } from './call';
import { callParticipant } from './callParticipant';
import { callRecord } from './callRecord';
import { onlineMeeting } from './onlineMeeting';

export const RESOURCES: readonly Resource[] = [
	app,
	call,
	callParticipant,
	callRecord,
	onlineMeeting,
];

/** The resource a new node shows first: inviting people is what the package is for. */
export const DEFAULT_RESOURCE = callParticipant.value;
