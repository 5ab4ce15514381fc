import type { LoggedRequest, Sandbox, SandboxOptions } from '../sandbox';
import { startSandbox } from '../sandbox';

export const NODE_TYPE = 'n8n-nodes-zoho-salesiq.zohoSalesIq';

/** A small sandbox for one test file. */
export async function smallSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return await startSandbox({ port: 0, seed: 1, chats: 200, visitors: 250, ...options });
}

/** SalesIQ API requests only (no token or download requests), oldest first. */
export function apiRequests(sb: Sandbox, match = '/api/'): LoggedRequest[] {
	return sb.requests(match).filter((r) => r.path.startsWith('/api/'));
}

/** `Authorization: Bearer <token>` of a logged request. */
export function bearerOf(request: LoggedRequest): string | undefined {
	const header = request.headers.authorization;
	return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

export function tokenRequests(sb: Sandbox): LoggedRequest[] {
	return sb.requests('/oauth/v2/token');
}
