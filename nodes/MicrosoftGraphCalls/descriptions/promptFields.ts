/**
 * The form of a prompt that can be typed text: where the prompt comes from, and for
 * text the words, the voice engine, the voice and the language. Graph plays only WAV files it
 * downloads itself; typed text is rendered to one and served by n8n (features/speech/).
 */
import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

export type PromptSourceChoice = 'text' | 'url' | 'binary' | 'none';

const CHOICES: Record<PromptSourceChoice, INodePropertyOptions> = {
	text: {
		name: 'Text',
		value: 'text',
		description:
			'Typed words (or SSML) spoken by the offline voice or Azure AI Speech; n8n serves the audio to Graph',
	},
	url: {
		name: 'URL',
		value: 'url',
		description: 'A WAV file at an https URL Graph can download',
	},
	binary: {
		name: 'Binary Field of the Input Item',
		value: 'binary',
		description:
			"Audio made earlier in the workflow, served to Graph by this node's waiting URL while the execution waits",
	},
	none: { name: 'No Prompt', value: 'none', description: 'Nothing is played' },
};

/**
 * Prompt From, in two forms: nodes of version 1 and 2 keep the default they were saved with (n8n
 * stores no value that equals the default), new nodes (version 3) start with `newDefault`.
 * Without `legacyDefault`, only new nodes have the field.
 */
export function promptSourceFields(options: {
	choices: readonly PromptSourceChoice[];
	/** What version 1 and 2 nodes had before the field existed. */
	legacyDefault?: PromptSourceChoice;
	newDefault: PromptSourceChoice;
	displayName?: string;
	/** The choices' names where this operation says it better (e.g. "Teams' Hold Music"). */
	names?: Partial<Record<PromptSourceChoice, { name: string; description: string }>>;
	show?: IDisplayOptions['show'];
}): INodeProperties[] {
	const field = (defaultValue: PromptSourceChoice, versions: IDisplayOptions): INodeProperties => ({
		displayName: options.displayName ?? 'Prompt From',
		name: 'promptSource',
		type: 'options',
		noDataExpression: true,
		options: options.choices.map((choice) => ({ ...CHOICES[choice], ...options.names?.[choice] })),
		// The rule reads only literals: the default is one of `choices` (promptSourceFields checks),
		// and test/catalogue.test.ts checks every built dropdown's default as the rule would.
		// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options
		default: defaultValue,
		displayOptions: {
			...versions,
			...(options.show ? { show: { ...versions.show, ...options.show } } : {}),
		},
	});
	for (const chosen of [options.legacyDefault ?? options.newDefault, options.newDefault])
		if (!options.choices.includes(chosen))
			throw new Error(`Prompt From's default ${chosen} is not one of its choices.`);
	const newNodes = field(options.newDefault, { hide: { '@version': [1, 2] } });
	if (options.legacyDefault === undefined) return [newNodes];
	return [field(options.legacyDefault, { show: { '@version': [1, 2] } }), newNodes];
}

/** The words of a spoken prompt; the voice settings come from spokenVoiceFields. */
export function promptTextField(show: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Text',
		name: 'promptText',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'e.g. Production is down. Press 1 to acknowledge.',
		description:
			'What the person hears; expressions work here (e.g. the alert from an earlier node, then "Press 1 to acknowledge."). Text that starts with &lt;speak&gt; is SSML (Azure AI Speech voices and breaks; the offline voice honours breaks and speed). At most 5,000 characters.',
		displayOptions: { show },
	};
}

/** Who speaks typed prompts: engine, voice and language. `show`: when these fields appear. */
export function spokenVoiceFields(show: IDisplayOptions['show']): INodeProperties[] {
	return [
		{
			displayName: 'Voice Engine',
			name: 'speechEngine',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Offline Voice (Built In)',
					value: 'offline',
					description: 'CMU Flite, inside n8n: no account, English only',
				},
				{
					name: 'Azure AI Speech',
					value: 'azure',
					description:
						'Microsoft\'s neural voices, many languages (credential "Azure AI Speech API")',
				},
			],
			default: 'offline',
			displayOptions: { show },
		},
		{
			displayName: 'Voice Name or ID',
			name: 'speechVoice',
			type: 'options',
			typeOptions: {
				loadOptionsMethod: 'speechVoices',
				loadOptionsDependsOn: ['speechEngine', 'speechLanguage'],
			},
			default: '',
			description:
				'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			hint: 'Empty: the offline voice slt. Azure AI Speech needs one, e.g. en-US-JennyNeural.',
			displayOptions: { show },
		},
		{
			displayName: 'Language',
			name: 'speechLanguage',
			type: 'string',
			default: 'en-US',
			placeholder: 'e.g. en-US',
			description:
				'The language of the text, as a locale (en-US, de-DE…). The offline voice speaks English only.',
			displayOptions: { show },
		},
	];
}
