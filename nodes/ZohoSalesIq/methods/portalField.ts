import type { INodeProperties } from 'n8n-workflow';

/** The "Portal" option of the node and the trigger: a screen name that overrides the credential's. */
export function portalField(purpose: string): INodeProperties {
	return {
		displayName: 'Portal Name or ID',
		name: 'screenName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPortals' },
		default: '',
		description: `The portal (screen name) to ${purpose}, instead of the one in the credential. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}
