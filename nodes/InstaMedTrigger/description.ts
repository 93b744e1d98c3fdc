import type { INodeProperties } from 'n8n-workflow';

import { EVENTS } from './events';
import { DEFAULT_REQUIRED_FIELDS } from './format/requiredFields';
import { INSTAMED_IP_ADDRESSES } from './guards/ipAllowlist';
import { BUILT_IN_RULES, describeRules } from './routing/rules';

const selectableEvents = EVENTS.filter((event) => event.id !== 'unrecognized');
const allSelectableEventIds = selectableEvents.map((event) => event.id);

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Publish the workflow, then give InstaMed\'s implementation team the Production URL (open Webhook URLs at the top of this panel and choose Production URL) as the merchant\'s "Payment Transaction Notification Webhook URL", say whether to send payment and/or payment plan notifications, and tell them the authentication you choose below (Basic: the username and password; OAuth2: your PingFederate client).',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		// n8n leaves the body of a version 1 start node unparsed when `options.binaryData` is set, so
		// the trigger reads the exact bytes itself and answers malformed bodies with its own reason
		// instead of n8n's generic 422. n8n reads that exact name, which is why the user's option
		// collection is called `settings` (docs/n8n-internals.md, "The raw body is left unread").
		displayName: 'Raw Body',
		name: 'options',
		type: 'hidden',
		default: { binaryData: true },
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		// Empty: n8n uses the node's own webhook ID, so no two triggers share a URL by default.
		default: '',
		placeholder: 'instamed-payments',
		description:
			"The last part of the webhook URL InstaMed posts to. Leave empty for a path of this node's own (its webhook ID), which no other workflow can take.",
	},
	{
		displayName: 'Answer InstaMed',
		name: 'respond',
		type: 'options',
		options: [
			{
				name: 'When a Confirm Stored Step Runs',
				value: 'whenConfirmed',
				description:
					'200 as soon as an InstaMed › Confirm Stored step runs after your storage step; steps after it cannot change the answer. Runs that end without it are answered 500.',
			},
			{
				name: 'When Last Node Finishes',
				value: 'whenLastNodeFinishes',
				description:
					'200 when the whole workflow finished without error, 500 when a step failed. Slow or failing steps after storage delay or fail the answer.',
			},
		],
		default: 'whenConfirmed',
		description:
			'InstaMed counts only a 200 as stored and retries anything else. Outputs with nothing connected are always refused.',
	},
	{
		displayName:
			"Wire each output you use: storage step → InstaMed › <b>Confirm Stored</b>, and the storage step's error output → InstaMed › <b>Refuse</b> with the reason. Steps after Confirm Stored (CRM, refunds) no longer affect the answer.",
		name: 'respondNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { respond: ['whenConfirmed'] } },
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'None',
				value: 'none',
				description: 'Only for Member Payments notifications, which InstaMed sends unauthenticated',
			},
			{
				name: 'InstaMed Basic',
				value: 'instaMedBasicApi',
				description: 'InstaMed sends a username and password after a 401 challenge',
			},
			{
				name: 'InstaMed OAuth2',
				value: 'instaMedOAuth2Api',
				description: 'InstaMed brings a bearer token from its PingFederate identity service',
			},
		],
		default: 'none',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: selectableEvents.map((event) => ({
			name: event.name,
			value: event.id,
			description: event.description,
		})),
		default: [...allSelectableEventIds],
		description:
			'The InstaMed triggers to receive, one output each. Other messages are acknowledged with 200 and start no execution.',
	},
	{
		displayName: 'Routing Rules',
		name: 'routing',
		type: 'options',
		options: [
			{
				name: 'Built-In',
				value: 'builtIn',
				description: "Rules inferred from InstaMed's status codes (shown below)",
			},
			{
				name: 'Custom',
				value: 'custom',
				description: 'Edit the rules as JSON',
			},
		],
		default: 'builtIn',
	},
	{
		// n8n's notices keep only <a>, <ul> and <li>: one list item per rule keeps the lines apart.
		displayName: `InstaMed does not publish which message belongs to which trigger. Built-in rules, first match wins, no match goes to Unrecognized.<ul>${describeRules(
			BUILT_IN_RULES,
		)
			.split('\n')
			.map((line) => `<li>${line}</li>`)
			.join('')}</ul>`,
		name: 'rulesNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { routing: ['builtIn'] } },
	},
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'json',
		default: JSON.stringify(BUILT_IN_RULES, null, 2),
		description:
			'First match wins. Each rule names its "event" (an output) and "when" it applies: each condition maps a field name to a list of values (any of them, case-insensitive), "*" (present), {"contains": "text"} or {"notIn": [...]}.',
		displayOptions: { show: { routing: ['custom'] } },
	},
	{
		displayName: 'Message Format',
		name: 'format',
		type: 'options',
		options: [
			{
				name: 'Automatic',
				value: 'auto',
				description: 'From the Content-Type when it is specific, otherwise from the body',
			},
			{ name: 'JSON', value: 'json' },
			{ name: 'XML', value: 'xml' },
			{ name: 'NVP (Form Encoded)', value: 'nvp' },
		],
		default: 'auto',
	},
	{
		displayName: 'IP Allowlist',
		name: 'ipAllowlist',
		type: 'options',
		options: [
			{ name: 'Off', value: 'off' },
			{
				name: 'InstaMed Addresses',
				value: 'instamed',
				description: 'The 14 addresses InstaMed publishes',
			},
			{ name: 'Custom', value: 'custom' },
		],
		default: 'off',
		hint: 'Uses the caller address n8n sees. Behind a reverse proxy, set N8N_PROXY_HOPS so n8n takes it from X-Forwarded-For.',
	},
	{
		displayName: 'Allowed Addresses',
		name: 'allowedIps',
		type: 'string',
		default: INSTAMED_IP_ADDRESSES.join('\n'),
		typeOptions: { rows: 6 },
		description: 'IPv4 or IPv6 addresses and CIDR ranges, separated by commas, spaces or new lines',
		displayOptions: { show: { ipAllowlist: ['custom'] } },
	},
	{
		displayName: 'Client Certificate',
		name: 'clientCertificate',
		type: 'options',
		options: [
			{ name: 'Off', value: 'off' },
			{
				name: 'Verified by a TLS Proxy',
				value: 'proxyHeaders',
				description:
					'A TLS-terminating proxy checks the certificate and passes the result in headers',
			},
		],
		default: 'off',
	},
	{
		displayName: 'Trusted Proxies',
		name: 'trustedProxies',
		type: 'string',
		default: '127.0.0.1, ::1',
		typeOptions: { rows: 3 },
		description:
			'Addresses of the proxies whose certificate headers are believed. Headers from any other address are refused.',
		displayOptions: { show: { clientCertificate: ['proxyHeaders'] } },
	},
	{
		displayName: 'Require Proxy Secret',
		name: 'requireProxySecret',
		type: 'boolean',
		default: false,
		description:
			"Whether the proxy must also send a shared secret (the InstaMed Proxy Secret credential) in a header, so no other process on the proxy's address passes as the proxy",
		displayOptions: { show: { clientCertificate: ['proxyHeaders'] } },
	},
	{
		displayName: 'Proxy Secret Header',
		name: 'proxyHeaderName',
		type: 'string',
		default: 'X-Proxy-Secret',
		description: 'Header the proxy sets to the secret (nginx: proxy_set_header)',
		displayOptions: { show: { clientCertificate: ['proxyHeaders'], requireProxySecret: [true] } },
	},
	{
		displayName: 'Verify Header',
		name: 'verifyHeader',
		type: 'string',
		default: 'X-SSL-Client-Verify',
		description: 'Header that must say SUCCESS (nginx: $ssl_client_verify)',
		displayOptions: { show: { clientCertificate: ['proxyHeaders'] } },
	},
	{
		displayName: 'Fingerprint Header',
		name: 'fingerprintHeader',
		type: 'string',
		default: 'X-SSL-Client-Fingerprint',
		description: 'Header with the certificate fingerprint (nginx: $ssl_client_fingerprint)',
		displayOptions: { show: { clientCertificate: ['proxyHeaders'] } },
	},
	{
		displayName: 'Subject Header',
		name: 'subjectHeader',
		type: 'string',
		default: 'X-SSL-Client-S-DN',
		description: 'Header with the certificate subject (nginx: $ssl_client_s_dn)',
		displayOptions: { show: { clientCertificate: ['proxyHeaders'] } },
	},
	{
		displayName: 'Allowed Fingerprints',
		name: 'allowedFingerprints',
		type: 'string',
		default: '',
		description: 'SHA-1 or SHA-256 fingerprints, comma-separated; colons and case are ignored',
		displayOptions: { show: { clientCertificate: ['proxyHeaders'] } },
	},
	{
		displayName: 'Allowed Subject',
		name: 'allowedSubject',
		type: 'string',
		default: '',
		description: 'The exact subject distinguished name the certificate must carry',
		displayOptions: { show: { clientCertificate: ['proxyHeaders'] } },
	},
	{
		displayName: 'Options',
		name: 'settings',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Raw Body',
				name: 'includeRawBody',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the body exactly as received to the item (not added when card and bank fields are left out, since it contains them)',
			},
			{
				displayName: 'Include Request Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the request headers to the item (credentials and secrets redacted). Off, the item keeps only the caller address: n8n saves the item with every execution.',
			},
			{
				displayName: 'Leave Out Card and Bank Fields',
				name: 'omitCardData',
				type: 'boolean',
				default: false,
				description:
					'Whether to drop card, bank account, AVS/CVV and EMV fields from the item before it is stored',
			},
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				default: 512,
				typeOptions: { minValue: 1 },
				description: 'Larger bodies are refused with 413',
			},
			{
				displayName: 'Required Fields',
				name: 'requiredFields',
				type: 'string',
				default: DEFAULT_REQUIRED_FIELDS,
				description:
					'Fields every message must carry with a value, comma-separated; "A | B" means either. Missing ones are refused with 400 naming them: NVP has no end marker, so this catches a body cut short. Empty: no check.',
			},
		],
	},
];
