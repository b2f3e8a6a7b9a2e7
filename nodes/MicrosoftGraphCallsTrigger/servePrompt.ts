/**
 * GET on the trigger's Production URL: a typed prompt for Graph to download, at a link an action
 * node of the same credential signed (Play Prompt, Record Response, hold music, Answer's
 * pre-fetched media; lib/speech/promptLinks.ts). The link says what to render; the trigger checks
 * its signature, renders it with the offline voice or, when the trigger has the option, Azure AI
 * Speech (from the process's cache when it was rendered before) and answers the WAV. Anything
 * else gets 404, like a path that does not exist, and starts nothing.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { sendWav } from '../../lib/audio/sendWav';
import { CREDENTIAL_TYPE } from '../../lib/entra/credentialType';
import { isLinkToken, linkToken } from '../../lib/entra/linkTokens';
import { readEntraAppSettings } from '../../lib/entra/settings';
import { printable } from '../../lib/notifications/logText';
import { renderSpeech, speechHttpFromN8n } from '../../lib/speech';
import { speechLinkSpec } from '../../lib/speech/promptLinks';
import { RECEIVER } from './emitNotifications';

export const SPEECH_CREDENTIAL_TYPE = 'azureAiSpeechApi';

export async function servePrompt(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = context.getResponseObject();
	const notFound = (why: string): IWebhookResponseData => {
		context.logger.info(`${RECEIVER}: answered 404 to a prompt request (${why}).`);
		res.status(404).json({ message: 'Not found' });
		return { noWebhookResponse: true };
	};
	const settings = readEntraAppSettings(await context.getCredentials(CREDENTIAL_TYPE));
	const spec = speechLinkSpec(context.getQueryData() as IDataObject, (payload, signature) =>
		isLinkToken(signature, linkToken(settings, 'speech', [payload])),
	);
	if (!spec) return notFound('not a link this credential signed');
	let azure;
	if (spec.engine === 'azure') {
		if (!(context.getNodeParameter('speakWithAzure', false) as boolean))
			return notFound(
				'an Azure AI Speech prompt, and this trigger does not serve them: turn on its Azure AI Speech Prompts',
			);
		azure = {
			credentials: await context.getCredentials(SPEECH_CREDENTIAL_TYPE),
			http: speechHttpFromN8n(async (request) => await context.helpers.httpRequest(request)),
		};
	}
	let wav: Buffer;
	try {
		const rendered = await renderSpeech({ ...spec, ...(azure ? { azure } : {}) });
		wav = rendered.wav;
	} catch (error) {
		// The node rendered it before giving Graph the link; failing now is the engine's side.
		context.logger.warn(
			`${RECEIVER}: could not render a typed prompt (${printable((error as Error).message, 300)}); answered 503.`,
		);
		res.setHeader('retry-after', '10');
		res.status(503).json({ message: 'The prompt could not be rendered now.' });
		return { noWebhookResponse: true };
	}
	sendWav(res, wav);
	return { noWebhookResponse: true };
}
