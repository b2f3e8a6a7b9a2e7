import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { readCloud } from '../../lib/entra/settings';
import { isTenantId } from '../../lib/entra/identifiers';
import {
	describeNotification,
	readEnvelope,
	type NotificationEvent,
} from '../../lib/notifications/notificationItems';
import {
	MICROSOFT_NOTIFICATION_OPENID_CONFIGURATION,
	verifyNotificationToken,
} from '../../lib/notifications/tokenVerifier';
import { tryParseUrl } from '../../lib/safeParse';

const CREDENTIAL_TYPE = 'microsoftGraphCallsApi';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface TriggerOptions {
	allowedTenantIds?: string;
	includeTokenClaims?: boolean;
}

function credentialText(fields: IDataObject, name: string): string {
	const value = fields[name];
	return typeof value === 'string' ? value.trim() : '';
}

/** Where the signing keys come from: Microsoft's calling platform, or the Custom cloud's own. */
function openIdConfigurationUrl(fields: IDataObject): string | undefined {
	let cloudName: string;
	try {
		cloudName = readCloud(fields).name;
	} catch {
		// A broken credential cannot authenticate anything: every request is refused.
		return undefined;
	}
	const custom =
		cloudName === 'custom' ? credentialText(fields, 'notificationOpenIdConfigurationUrl') : '';
	if (!custom) return MICROSOFT_NOTIFICATION_OPENID_CONFIGURATION;
	const url = tryParseUrl(custom);
	return url && url.protocol === 'https:' ? url.href : undefined;
}

/** The tenants whose notifications are accepted: the option's list, else the credential's tenant GUID. */
function acceptedTenants(option: string | undefined, credentialTenant: string): string[] {
	const listed = (option ?? '')
		.split(/[\s,;]+/)
		.map((id) => id.trim())
		.filter(Boolean);
	if (listed.length > 0) return listed;
	// A domain name cannot be compared with the token's tid (a GUID): then any tenant claim is accepted.
	return GUID.test(credentialTenant) ? [credentialTenant] : [];
}

export class MicrosoftGraphCallsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Graph Calls Trigger',
		name: 'microsoftGraphCallsTrigger',
		icon: {
			light: 'file:../../icons/microsoftGraphCalls.svg',
			dark: 'file:../../icons/microsoftGraphCalls.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ($parameter["onlyOperationResults"] ? "operation results" : $parameter["events"].join(", ")) }}',
		description:
			'Starts the workflow when Microsoft Graph posts a call notification: call state changes, roster updates, results of invites',
		defaults: { name: 'Microsoft Graph Calls Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'notifications' },
		],
		properties: [
			{
				displayName:
					"Paste this node's Production URL (Webhook URLs, above) into the Callback URL of Microsoft Graph Calls › Call › Create, and activate the workflow: Graph then posts that call's notifications here. Graph only calls https URLs reachable from the internet. Every request must carry a valid token signed by Microsoft's calling platform for this credential's app; others get 401 and start nothing.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Only Operation Results',
				name: 'onlyOperationResults',
				type: 'boolean',
				default: false,
				description:
					'Whether to emit only the final results of operations (invite, mute…), e.g. to learn whether an invited person was reached',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Call State Changes',
						value: 'callStateChanged',
						description: 'Establishing, established, terminated…',
					},
					{
						name: 'Operation Results',
						value: 'operationResult',
						description: 'Final status and resultInfo of invite and other operations',
					},
					{
						name: 'Other Notifications',
						value: 'other',
						description: 'Anything else Graph posts (e.g. an incoming call)',
					},
					{
						name: 'Roster Updates',
						value: 'rosterUpdated',
						description: 'People joining and leaving the call',
					},
				],
				default: ['callStateChanged', 'rosterUpdated', 'operationResult', 'other'],
				description: 'Which notifications start the workflow; one item per notification',
				displayOptions: { show: { onlyOperationResults: [false] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Accepted Tenant IDs',
						name: 'allowedTenantIds',
						type: 'string',
						default: '',
						placeholder:
							'e.g. aa67bd4c-8475-432d-bd41-39f255720e0a, 5810cede-f3cc-42eb-b2c1-e9bd5d53ec96',
						description:
							"Tenant GUIDs whose notifications are accepted (the token's tid claim), separated by commas. Empty: the credential's tenant (any tenant if the credential names a domain instead of a GUID).",
					},
					{
						displayName: 'Include Token Claims',
						name: 'includeTokenClaims',
						type: 'boolean',
						default: false,
						description:
							"Whether to add the verified token's issuer, tenant and expiry to every item",
					},
				],
			},
		],
	};

	/**
	 * Graph has no subscription API for call notifications: the callback URL travels with each
	 * call (Call › Create's Callback URL). There is nothing to register, check or remove remotely,
	 * so the lifecycle only reports that; n8n then serves the production URL while active.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const reject = (status: number, message: string): IWebhookResponseData => {
			res
				.status(status)
				.json({ error: { code: status === 401 ? 'Unauthorized' : 'BadRequest', message } });
			return { noWebhookResponse: true };
		};

		// 1. The token, before anything else is looked at.
		const fields = (await this.getCredentials(CREDENTIAL_TYPE)) as IDataObject;
		const clientId = credentialText(fields, 'clientId');
		const tenantId = credentialText(fields, 'tenantId');
		const configurationUrl = openIdConfigurationUrl(fields);
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		if (!clientId || !configurationUrl || (tenantId && !isTenantId(tenantId))) {
			this.logger.warn(
				'Microsoft Graph Calls Trigger: the credential is incomplete; the notification was refused.',
			);
			return reject(401, 'Unauthorized.');
		}
		const verification = await verifyNotificationToken(this.getHeaderData().authorization, {
			openIdConfigurationUrl: configurationUrl,
			audience: clientId,
			tenantIds: acceptedTenants(options.allowedTenantIds, tenantId),
			fetchJson: async (url) =>
				await this.helpers.httpRequest({ method: 'GET', url, json: true, timeout: 10_000 }),
		});
		if (!verification.ok) {
			this.logger.info(
				`Microsoft Graph Calls Trigger: refused a notification (${verification.reason}).`,
			);
			return reject(401, 'Unauthorized.');
		}

		// 2. The envelope.
		const envelope = readEnvelope(this.getBodyData());
		if (!envelope.ok) return reject(400, `Not a Graph call notification: ${envelope.reason}.`);

		// 3. Accepted: answer at once, then emit one item per wanted notification.
		res.status(202).end();
		const onlyResults = this.getNodeParameter('onlyOperationResults', false) as boolean;
		const wanted = new Set<NotificationEvent>(
			onlyResults
				? ['operationResult']
				: (this.getNodeParameter('events', []) as NotificationEvent[]),
		);
		const receivedAt = new Date().toISOString();
		const items: INodeExecutionData[] = envelope.notifications
			.map((notification) => describeNotification(notification))
			.filter((item) => wanted.has(item.event as NotificationEvent))
			.map((item) => ({
				json: {
					...item,
					tenantId: verification.claims.tenantId,
					receivedAt,
					...(options.includeTokenClaims ? { tokenClaims: { ...verification.claims } } : {}),
				} as IDataObject,
			}));
		if (items.length === 0) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [items] };
	}
}
