/**
 * The n8n editor in a real browser: Debian's chromium driven by playwright-core (no browser download).
 * Every request that does not go to 127.0.0.1 is aborted, so the editor's external links (fonts) fail fast.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WORK_DIR } from './paths';
import { DEFAULT_OWNER, type Owner } from './rest';

// playwright-core is required lazily and typed loosely, so type checks pass where it is not installed.
export type Page = any;
export type BrowserContext = any;

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The system chromium (`apt-get install chromium`), or `CHROMIUM_PATH`. */
export function chromiumPath(): string | undefined {
	const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CHROMIUM_CANDIDATES;
	return candidates.find((candidate) => fs.existsSync(candidate));
}

export interface Browser {
	context: BrowserContext;
	page: Page;
	close(): Promise<void>;
}

export async function launchBrowser(options: { width?: number; height?: number } = {}): Promise<Browser> {
	const executablePath = chromiumPath();
	if (!executablePath) throw new Error('chromium not found: `apt-get install -y chromium`, or set CHROMIUM_PATH');
	// Loaded lazily: only the editor test needs it.
	const { chromium } = require('playwright-core');
	fs.mkdirSync(WORK_DIR, { recursive: true });
	const userDataDir = fs.mkdtempSync(path.join(WORK_DIR, 'chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath,
		headless: true,
		viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
		deviceScaleFactor: 1,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-dev-shm-usage',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic',
		],
	});
	await context.route('**/*', (route: any) => {
		const { hostname, protocol } = new URL(route.request().url());
		if (protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1') return route.continue();
		return route.abort();
	});
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		async close() {
			await context.close();
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** Signs in through the editor's sign-in form. */
export async function signIn(page: Page, baseUrl: string, owner: Owner = DEFAULT_OWNER): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(owner.email);
	await page.locator('input[type="password"]').first().fill(owner.password);
	await page.locator('[data-test-id="form-submit-button"], button[type="submit"]').first().click();
	await page.waitForURL((url: URL) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}
