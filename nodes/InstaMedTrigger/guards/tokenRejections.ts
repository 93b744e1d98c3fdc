import { WebhookRejection } from '../rejection';

/** 401 with the RFC 6750 challenge; `problem` is a short fixed phrase, never token content. */
export function invalidToken(problem: string): WebhookRejection {
	return new WebhookRejection(401, `Invalid token: ${problem}`, {
		'WWW-Authenticate': `Bearer error="invalid_token", error_description="${problem}"`,
	});
}

/** 503 so InstaMed retries later: the token may be fine, we just cannot check it now. */
export function tokenValidationUnavailable(): WebhookRejection {
	return new WebhookRejection(503, 'Token validation unavailable');
}
