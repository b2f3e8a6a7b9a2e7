/**
 * The Voice field's list (n8n loads it when the form opens): the offline voices, or the voices
 * of the Azure AI Speech credential's resource that speak the chosen Language.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import {
	listAzureVoices,
	OFFLINE_VOICES,
	readAzureSpeechSettings,
	speechHttpFromN8n,
} from '../../../../lib/speech';
import { azureSpeechCredentials } from './spokenPrompt';

export async function speechVoices(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const engine = this.getCurrentNodeParameter('speechEngine') ?? 'offline';
	if (engine !== 'azure')
		return [
			// The field's default: n8n marks a value its list lacks as an issue, on the canvas too.
			{ name: `Default (${OFFLINE_VOICES[0]?.name ?? 'slt'})`, value: '' },
			...OFFLINE_VOICES.map((voice) => ({ name: voice.name, value: voice.id })),
		];
	const language = String(this.getCurrentNodeParameter('speechLanguage') ?? '').trim();
	const voices = await listAzureVoices({
		settings: readAzureSpeechSettings(await azureSpeechCredentials(this)),
		http: speechHttpFromN8n(async (request) => await this.helpers.httpRequest(request)),
	});
	return voices
		.filter((voice) => language === '' || voice.locale.toLowerCase() === language.toLowerCase())
		.sort((a, b) => a.displayName.localeCompare(b.displayName))
		.map((voice) => ({
			name: `${voice.displayName} (${voice.locale}, ${voice.gender})`,
			value: voice.shortName,
		}));
}
