/**
 * The FAQ bot example in `npm start`: activated once when it is first imported (its production URL
 * then answers), and the banner lines that show how the sandbox plays a visitor message to it.
 */
import type { N8nRest } from './rest';

export const FAQ_BOT_FILE = 'salesiq-faq-bot.json';
const BOT_TRIGGER_TYPE = 'n8n-nodes-zoho-salesiq.zohoSalesIqBotTrigger';

/** An example workflow as read from its file. */
type WorkflowJson = Record<string, any>;

/** The production URL of the workflow's Bot Trigger, or undefined when it has none. */
export function botUrl(n8nUrl: string, workflow: WorkflowJson): string | undefined {
	const trigger = (workflow.nodes as Array<{ type: string; webhookId?: string }> | undefined)?.find((node) => node.type === BOT_TRIGGER_TYPE);
	return trigger?.webhookId ? `${n8nUrl}/webhook/${trigger.webhookId}/bot` : undefined;
}

/** Activates the FAQ bot; a failure is reported, not fatal (the user can activate it in the editor). */
export async function activateBot(rest: N8nRest, workflow: WorkflowJson, report: (line: string) => void): Promise<void> {
	try {
		await rest.activateWorkflow(String(workflow.id));
		report('activated the FAQ bot example, so SalesIQ (the sandbox) can talk to it');
	} catch (error) {
		report(`could not activate the FAQ bot example (${(error as Error).message}); activate it in the editor`);
	}
}

/** Banner lines: where the bot listens and the command that plays a visitor message. */
export function botBanner(url: string, sandboxUrl: string): string[] {
	const body = JSON.stringify({ url, text: 'What does the pricing look like?' });
	return [
		`  bot          the FAQ bot answers at ${url}`,
		`               play a visitor message (the sandbox signs it, waits up to 5 s and prints the reply):`,
		`               curl -s -X POST ${sandboxUrl}/__sandbox/bot/play -d '${body}'`,
	];
}
