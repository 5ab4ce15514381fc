/**
 * The Markdown tables of the generated docs (docs/FIDELITY.md, docs/RELIABILITY.md): the reports
 * write each cell with cell(), and the doc tests read the rows back with tableRows(), so the two
 * sides of the escaping live here together.
 */

/** One table cell: on one line, `|` escaped. */
export function cell(text: string): string {
	return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

/** The cells of every table row whose line matches `row`, with `|` restored. */
export function tableRows(doc: string, row: RegExp): string[][] {
	return doc
		.split('\n')
		.filter((line) => row.test(line))
		.map((line) =>
			line
				.slice(1, -1)
				.split(/(?<!\\)\|/)
				.map((c) => c.trim().replace(/\\\|/g, '|')),
		);
}
