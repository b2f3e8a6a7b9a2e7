/**
 * The execute of Answer, Reject, Redirect and Transfer: one POST to an action of a call
 * (`/communications/calls/{id}/{action}`), which Graph answers 202 without a body; the item says
 * what Graph accepted. Each operation gives its body and what the item shows of it.
 */
import type { IDataObject } from 'n8n-workflow';

import { callPath } from '../helpers/graphPaths';
import { parseCallId } from '../helpers/idFields';
import type { ActionProfile, RequestSettings } from '../transport/types';
import type { Operation, ItemInput, OperationContext } from './operation';
import { successJson } from './successJson';

export interface CallControl {
	/** The last segment of the path, and `operation` in the item. */
	action: 'answer' | 'reject' | 'redirect' | 'transfer';
	profile: ActionProfile;
	/** May render or read before the POST (Answer's typed prefetch prompts). */
	body(
		item: ItemInput,
		request: RequestSettings,
		context: OperationContext,
	): Record<string, unknown> | Promise<Record<string, unknown>>;
	/** What the item shows of the body (the targets, the reason…). */
	shown(body: Record<string, unknown>): IDataObject;
	/** What Graph's 202 means for the call, in a sentence. */
	message: string;
}

export function callControlExecute(control: CallControl): Operation['execute'] {
	return async (context, item, { request }) => {
		const callId = parseCallId(item.param('callId'));
		const body = await control.body(item, request, context);
		const result = await context.transport.request(
			{ method: 'POST', path: callPath(callId, control.action), body },
			request,
			control.profile,
			item.index,
		);
		return successJson(result, {
			operation: control.action,
			callId,
			...control.shown(body),
			message: control.message,
		});
	};
}
