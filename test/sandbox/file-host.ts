/**
 * A second origin on loopback that plays Zoho's public file domain (the `files` variants): download
 * links point at it, or the API host's links redirect to it. The sandbox serves and logs its requests.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export class FileHost {
	private readonly server: http.Server;

	constructor(handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) {
		this.server = http.createServer((req, res) => {
			handler(req, res).catch(() => {
				if (!res.headersSent) res.writeHead(500).end();
			});
		});
	}

	/** Resolves to the origin, `http://<host>:<port>`. */
	async listen(host: string): Promise<string> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(0, host, () => resolve());
		});
		return `http://${host}:${(this.server.address() as AddressInfo).port}`;
	}

	stop(): Promise<void> {
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}
}
