/**
 * The n8n editor in a real browser (Debian chromium through playwright-core) with our package
 * installed: a user finds "Zoho SalesIQ" in the node panel, adds "Get many chats", and opens the
 * credential form. Screenshots go to test/e2e/.work/screenshots-<major>x, or with E2E_UPDATE_SCREENSHOTS=1
 * (n8n 2.x) to docs/screenshots, the ones the README shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, signIn, type Browser, type Page } from './lib/browser';
import { createN8n, type N8n } from './lib/n8n';
import { installPackage } from './lib/package';
import { REPO_ROOT, WORK_DIR } from './lib/paths';
import { e2eMajor, packedPackage } from './lib/suite';

// The README's screenshots come from n8n 2.x only.
const SCREENSHOTS =
	process.env.E2E_UPDATE_SCREENSHOTS && e2eMajor() === 2
		? path.join(REPO_ROOT, 'docs', 'screenshots')
		: path.join(WORK_DIR, `screenshots-${e2eMajor()}x`);
const UI_TIMEOUT = 60_000;

const ACTIONS = [
	'Download an attachment',
	'Get many attachments',
	'Build a bot reply',
	'Send a bot progress message',
	'Send a bot reply',
	'Get a chat',
	'Get many chats',
	'Clear a push notification badge',
	'Send a push notification',
	'Get a chat transcript',
	'Get many visitors',
	'Update a visitor',
];

let n8n: N8n;
let browser: Browser;
let page: Page;
let workflowId: string;

/** Waits until the element is visible; false when it never shows. */
async function shown(locator: any, timeout = 10_000): Promise<boolean> {
	try {
		await locator.first().waitFor({ state: 'visible', timeout });
		return true;
	} catch {
		return false;
	}
}

/** A field label, with or without the required-field star. */
const label = (text: string) => new RegExp(`^\\s*${text}\\s*\\*?\\s*$`);

async function screenshot(name: string): Promise<void> {
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	// Let fonts, icons and transitions settle.
	await page.waitForTimeout(500);
	await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

beforeAll(async () => {
	n8n = await createN8n({ name: 'editor', major: e2eMajor() });
	await installPackage(n8n.userFolder, await packedPackage());
	await n8n.start();
	await n8n.rest.setupOwner();
	const workflow = await n8n.rest.createWorkflow({
		name: 'Chats to review',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: 'b4c1d0a2-54c3-4e8e-9d59-2f5c1f0a0e01',
				name: 'When clicking ‘Execute workflow’',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
		],
	});
	workflowId = workflow.id;
	browser = await launchBrowser({ width: 1440, height: 1100 });
	page = browser.page;
	page.setDefaultTimeout(UI_TIMEOUT);
	await signIn(page, n8n.baseUrl);
}, 240_000);

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
});

describe('editor', () => {
	it('finds Zoho SalesIQ in the node panel, with its actions', async () => {
		await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await page.locator('[data-test-id="canvas-handle-plus"]').first().click();
		const search = page.locator('[data-test-id="node-creator-search-bar"]').locator('xpath=self::input | .//input').first();
		await search.fill('Zoho SalesIQ');

		const result = page.locator('[data-test-id="item-iterator-item"]').filter({ hasText: 'Zoho SalesIQ' }).first();
		await result.waitFor();
		expect(await result.locator('[data-test-id="node-creator-item-name"]').first().textContent()).toBe('Zoho SalesIQ');
		await result.click();

		await page.getByText(`Actions (${ACTIONS.length})`).waitFor();
		for (const action of ACTIONS) {
			expect(await shown(page.getByText(action, { exact: true }))).toBe(true);
		}
		await screenshot('node-panel.png');
	});

	it('opens the node with Chat and Get Many chosen', async () => {
		await page.getByText('Get many chats', { exact: true }).first().click();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.waitFor();
		const resource = ndv.locator('[data-test-id="parameter-input-resource"] input').first();
		const operation = ndv.locator('[data-test-id="parameter-input-operation"] input').first();
		expect(await resource.inputValue()).toBe('Chat');
		expect(await operation.inputValue()).toBe('Get Many');
		for (const text of ['Resource', 'Operation', 'Return All', 'Limit', 'Filters', 'Options']) {
			expect([text, await shown(ndv.getByText(label(text)))]).toEqual([text, true]);
		}
		// 2.x offers a "Connect to Zoho SalesIQ" button, 1.x a credential select.
		const connect = e2eMajor() === 2 ? ndv.getByText('Connect to Zoho SalesIQ') : ndv.locator('[data-test-id="node-credentials-select"]');
		expect(await shown(connect)).toBe(true);
		expect(await ndv.locator('[data-test-id="node-title-container"]').first().textContent()).toContain('Get many chats');
		await screenshot('node-chat-getall.png');
	});

	it('opens the credential form with the Zoho fields', async () => {
		if (e2eMajor() === 2) {
			await page.getByText('Connect to Zoho SalesIQ').first().click();
		} else {
			await page.locator('[data-test-id="node-credentials-select"]').first().click();
			await page.getByText('Create new credential').first().click();
		}
		const modal = page.locator('[data-test-id="editCredential-modal"]');
		await modal.waitFor();
		expect(await shown(modal.getByText('Zoho SalesIQ OAuth2 API'))).toBe(true);
		for (const text of ['OAuth Redirect URL', 'Client ID', 'Client Secret', 'Data Center', 'Screen Name']) {
			expect([text, await shown(modal.getByText(label(text)))]).toEqual([text, true]);
		}
		for (const field of ['clientId', 'clientSecret', 'dataCenter', 'screenName']) {
			expect([field, await shown(modal.locator(`[data-test-id="parameter-input-${field}"]`))]).toEqual([field, true]);
		}
		expect(await shown(modal.getByText(`${n8n.baseUrl}/rest/oauth2-credential/callback`))).toBe(true);
		const dataCenter = modal.locator('[data-test-id="parameter-input-dataCenter"] input').first();
		expect(await dataCenter.inputValue()).toBe('United States (zoho.com)');
		// The custom URLs are only for a gateway or the sandbox.
		expect(await modal.getByText(label('Accounts URL')).count()).toBe(0);
		await screenshot('credential.png');

		await dataCenter.click();
		await page.locator('.el-select-dropdown__item, [role="option"]').filter({ hasText: /^Custom$/ }).first().click();
		expect(await shown(modal.getByText(label('Accounts URL')))).toBe(true);
		expect(await shown(modal.getByText(label('API URL')))).toBe(true);
	});
});
