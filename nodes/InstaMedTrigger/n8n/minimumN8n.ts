/**
 * The oldest n8n the trigger's guarantees hold on. n8n gives a node no version number (only n8n's
 * own package has one, and community nodes may not read `process`), so the trigger checks for
 * what it relies on: n8n-core's `getConnections` on a node's context, which the wiring checks read
 * (docs/compatibility.md, "Minimum"). Without it a selected event whose output leads nowhere would be answered 200 When
 * Last Node Finishes, and publishing could not refuse such a workflow. It first ships in n8n
 * 1.100.1 (n8n-core 1.99.0; n8n 1.99.1 has n8n-core 1.98.0 without it; 1.100.0 was not published).
 */
export const MINIMUM_N8N = '1.100.1';

export const NEEDS_NEWER_N8N = `InstaMed Trigger needs n8n >= ${MINIMUM_N8N}`;

/** True when the n8n running this context lacks what the trigger relies on. */
export function n8nTooOld(context: object): boolean {
	return typeof (context as { getConnections?: unknown }).getConnections !== 'function';
}
