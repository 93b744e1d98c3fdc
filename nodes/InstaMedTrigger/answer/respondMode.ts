/**
 * When InstaMed gets its answer. `whenConfirmed`: when an InstaMed › Confirm Stored (or Refuse)
 * step runs, in n8n's "Using 'Respond to Webhook' Node" mode. `whenLastNodeFinishes`: when the
 * whole run has ended, n8n's "When Last Node Finishes" mode with no body.
 */
export type RespondMode = 'whenConfirmed' | 'whenLastNodeFinishes';

/** The mode a `respond` parameter value asks for; anything unknown gets the stricter default. */
export function toRespondMode(value: unknown): RespondMode {
	return value === 'whenLastNodeFinishes' ? 'whenLastNodeFinishes' : 'whenConfirmed';
}
