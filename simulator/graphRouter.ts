/**
 * Maps a Graph path (the segments after /v1.0 or /beta) to a calls handler. Graph path
 * segments are case-insensitive; the invite action may also be named by its qualified name.
 */
import { routeCallControl } from './callControl';
import { routeCallLifecycle } from './callLifecycle';
import {
	getCallResource,
	inviteParticipants,
	listParticipants,
	type GraphCallScope,
} from './callsApi';
import type { SimulatorContext } from './context';
import { routeMeetingsAndRecords } from './meetingsAndRecords';
import { graphError, methodNotAllowedError, type GraphResult } from './graphErrors';

function methodNotAllowed(allowed: string): GraphResult {
	return methodNotAllowedError({ allow: allowed });
}

function is(segment: string | undefined, ...names: string[]): boolean {
	return segment !== undefined && names.includes(segment.toLowerCase());
}

export function routeGraphCall(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	method: string,
	segments: string[],
	body: string,
	query: URLSearchParams = new URLSearchParams(),
): GraphResult {
	// Online meetings and call records are not calls: no call notifications.
	const other = routeMeetingsAndRecords(ctx, scope, method, segments, body, query);
	if (other) return other;
	// Call notifications (callNotifications.ts) watch every request: what it changed is posted to the callback URL.
	const intercepted = ctx.callbacks?.intercept(ctx, scope, method, segments);
	if (intercepted) return intercepted;
	const before = ctx.callbacks?.before(ctx, segments);
	const result = routeCallsRequest(ctx, scope, method, segments, body);
	ctx.callbacks?.after(ctx, method, segments, result, before);
	return result;
}

function routeCallsRequest(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	method: string,
	segments: string[],
	body: string,
): GraphResult {
	// answer, reject, redirect, transfer
	const control = routeCallControl(ctx, scope, method, segments, body);
	if (control) return control;
	// Media actions (media.ts): playPrompt, recordResponse, tones, hold music.
	const media = ctx.media?.route(ctx, scope, method, segments, body);
	if (media) return media;
	const lifecycle = routeCallLifecycle(ctx, scope, method, segments, body);
	if (lifecycle) return lifecycle;
	const [root, collection, callId, sub, action, ...rest] = segments;
	const underCalls =
		is(root, 'communications') &&
		is(collection, 'calls') &&
		callId !== undefined &&
		rest.length === 0;
	if (underCalls && sub === undefined) {
		return method === 'GET' ? getCallResource(ctx, scope, callId) : methodNotAllowed('GET');
	}
	if (underCalls && is(sub, 'participants') && action === undefined) {
		return method === 'GET' ? listParticipants(ctx, scope, callId) : methodNotAllowed('GET');
	}
	if (underCalls && is(sub, 'participants') && is(action, 'invite', 'microsoft.graph.invite')) {
		return method === 'POST'
			? inviteParticipants(ctx, scope, callId, body)
			: methodNotAllowed('POST');
	}
	const last = segments[segments.length - 1] ?? '';
	return graphError(404, 'NotFound', `Resource not found for the segment '${last}'.`);
}
