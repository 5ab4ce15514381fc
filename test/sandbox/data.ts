/**
 * The deterministic dataset: one portal with its brands, departments, operators, visitors and chats.
 *
 * Chats are created up front (cheap objects, newest first). Transcripts and attachment bytes are
 * rebuilt on demand from each chat's own seed, so startup stays fast with 100,000 chats and the
 * same chat always has the same transcript.
 */
import { AttachmentKind, AttachmentSpec, CONTENT_TYPES, renderAttachment } from './files';
import { mix, Random } from './random';

export interface Portal {
	id: string;
	screenname: string;
	name: string;
	website: string;
	email_id: string;
	time_zone: string;
	language: string;
	org_id: string;
	owner: { email_id: string; zuid: string; operator_id: string; name: string };
}

export interface App {
	id: string;
	name: string;
}

export interface Department {
	id: string;
	name: string;
	display_name: string;
	description: string;
	is_enabled: string;
	is_public: string;
	is_system_generated: string;
	created_time: string;
	modified_time: string;
}

export interface Operator {
	id: string;
	wms_id: string;
	name: string;
	first_name: string;
	last_name: string;
	email: string;
	role: 'Administrator' | 'Supervisor' | 'Associate';
	department_ids: string[];
}

/** A visitor as the v1 visitor list returns it. */
export interface Visitor {
	id: string;
	name: string;
	email: string;
	user_uniqueid: string;
	lastvisit_time: string;
	lastvisit_source: string;
	lastcontacted_mode: string;
	total_timespent: string;
	leadscore: string;
	country: string;
	customer_info: Record<string, string>;
}

/** A chat as the v1 chat list and chat info return it. Every id and time is a string. */
export interface V1Chat {
	chat_id: string;
	chat_title: string;
	question: string;
	department_id: string;
	department_name: string;
	embed_id: string;
	embed_name: string;
	attender_id?: string;
	attender_name?: string;
	attender_email?: string;
	participants: string[];
	supervisor: string[];
	chatinitiated_time: string;
	pickup_time?: string;
	end_time?: string;
	missed_time?: string;
	chat_duration?: string;
	waited_duration: string;
	visitor_name: string;
	visitor_email?: string;
	visitor_phoneno?: string;
	visitor_ip: string;
	country_code: string;
	customer_info?: Record<string, string>;
}

export interface TranscriptHeader {
	chatinitiated_time: string;
	visitor_name: string;
	question: string;
}

export interface TranscriptMessage {
	sender: string;
	time: string;
	dname: string;
	msg: string;
}

export interface AttachmentMessage {
	sender: string;
	time: string;
	dname: string;
	mode: 'att';
	msg: {
		fileId: string;
		fName: string;
		content: string;
		size: string;
		url: string;
		dim?: { height: string; width: string };
	};
}

export type TranscriptEntry = TranscriptHeader | TranscriptMessage | AttachmentMessage;

export interface AttachmentInfo {
	fileId: string;
	fName: string;
	content: string;
	size: number;
	chatId: string;
	/** The transcript's `msg.url`, e.g. `/attachments/<n>/<fileId>`. */
	url: string;
	/** Rebuilt from the seed on every read. */
	readonly bytes: Buffer;
}

export interface AddChatsOptions {
	/** `chatinitiated_time` of the first new chat; default: the sandbox clock's now. */
	atTime?: number;
	/** Milliseconds between consecutive new chats; default 0, so they all share one millisecond. */
	spacingMs?: number;
}

export interface DatasetOptions {
	seed: number;
	chats: number;
	visitors: number;
	anchorTime: number;
	now: () => number;
	/** Brand ids with 17 digits (past 2^53), as live deliveries show them; default 16. */
	wideAppIds?: boolean;
}

/** What the server needs beyond the public chat object. */
export interface ChatRecord {
	chat: V1Chat;
	num: number;
	time: number;
	seed: number;
	missed: boolean;
	messageCount: number;
	attachmentCount: number;
	visitor?: Visitor;
	operator?: Operator;
	/** Cached `JSON.stringify(chat)`. */
	json?: string;
}

export interface Transcript {
	entries: TranscriptEntry[];
	/** Entry times as numbers, parallel to `entries`, for binary search. */
	times: number[];
	attachments: AttachmentInfo[];
}

// Module-level aliases keep hot loops fast under jest's vm sandbox, where global lookups are slow.
const { floor, log, max, min, round } = Math;

const DAY = 86_400_000;
export const CHAT_SPAN_MS = 30 * DAY;
/** The longest run of chats sharing one millisecond that random generation may create. */
const MAX_RANDOM_RUN = 4;
const TRANSCRIPT_CACHE_SIZE = 500;

const COMPANIES: ReadonlyArray<[string, string]> = [
	['zylker', 'Zylker'],
	['acmecorp', 'Acme Corp'],
	['globex', 'Globex'],
	['initech', 'Initech'],
	['umbrellaco', 'Umbrella Co'],
	['hooli', 'Hooli'],
	['vandelay', 'Vandelay Industries'],
	['soylentco', 'Soylent Co'],
];
const DEPARTMENT_NAMES = ['Sales', 'Support', 'Billing', 'Onboarding', 'Technical', 'Partnerships'];
const FIRST_NAMES = [
	'Tom', 'Patricia', 'James', 'Tricia', 'Aisha', 'Carlos', 'Mei', 'Oliver', 'Sofia', 'Liam', 'Priya', 'Noah',
	'Emma', 'Lucas', 'Hana', 'Mateo', 'Chloe', 'Arjun', 'Zara', 'Ethan', 'Yuki', 'Fatima', 'Leon', 'Nina',
];
const LAST_NAMES = [
	'Smith', 'Garcia', 'Chen', 'Kumar', 'Müller', 'Okafor', 'Rossi', 'Tanaka', 'Silva', 'Novak', 'Brown', 'Dubois',
	'Khan', 'Larsen', 'Ivanova', 'Murphy', "O'Neil", 'Haddad', 'Kowalski', 'Nguyen',
];
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'acme.example', 'globex.example', 'mail.example'];
const COUNTRIES: ReadonlyArray<[string, string]> = [
	['United States', 'US'], ['India', 'IN'], ['Germany', 'DE'], ['United Kingdom', 'GB'], ['Brazil', 'BR'],
	['Japan', 'JP'], ['Australia', 'AU'], ['Canada', 'CA'], ['France', 'FR'], ['Spain', 'ES'],
];
const SOURCES = ['Direct', 'Google', 'Bing', 'Twitter', 'Facebook', 'LinkedIn', 'Newsletter', 'Referral'];
const CONTACT_MODES = ['Email', 'Chat', 'Call', 'None'];
const PLANS = ['free', 'basic', 'premium', 'enterprise'];
const QUESTIONS = [
	'Can you help me with the payment process?',
	'Hi, I need some assistance',
	'How do I reset my password?',
	'Is there a discount for annual plans?',
	'My order has not arrived yet.',
	'Can I change the shipping address on my order?',
	'Do you ship to Canada?',
	'The app crashes when I upload a file.',
	'How do I export my data?',
	'I was charged twice this month.',
	'Can I talk to someone from sales?',
	'Where can I find the API documentation?',
	'How do I add a new user to my account?',
	'Is my data stored in the EU?',
	'Running a test chat !',
];
const VISITOR_LINES = [
	'Thanks, that makes sense.',
	'Let me check and get back to you.',
	'I tried that already, it did not work.',
	'Here is my order number: #{n}',
	'Could you explain that again?',
	'Great, that worked!',
	'How long will it take?',
	'Is there anything else I need to do?',
	'Okay 👍',
	'Sorry, I had to step away for a minute.',
	'Does this also apply to the premium plan?',
	'Ça marche, merci !',
];
const OPERATOR_LINES = [
	'Let me look into that for you.',
	'Could you share a screenshot of the error?',
	'I have updated your account, please try again.',
	'That usually takes one to two business days.',
	'I am checking with the team, one moment please.',
	'You can find it under Settings → Data → Export.',
	'I have raised a ticket, the reference is {n}.',
	'No problem at all!',
	'Could you confirm the email address on the account?',
	'Yes, that is included in your plan.',
];
const FILE_NAMES: Record<AttachmentKind, string[]> = {
	png: ['screenshot.png', 'error-screen.png', 'photo.png', 'invoice-scan.png'],
	pdf: ['invoice.pdf', 'quote.pdf', 'contract.pdf', 'receipt.pdf'],
	txt: ['notes.txt', 'error-log.txt', 'order-details.txt'],
};

function exponential(rng: Random, mean: number): number {
	return -log(1 - rng.next()) * mean;
}

/** First index in a newest-first list whose time is <= `time`. */
function firstAtOrBefore(records: readonly ChatRecord[], time: number): number {
	let lo = 0;
	let hi = records.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (records[mid].time > time) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export class Dataset {
	readonly seed: number;
	readonly anchorTime: number;
	readonly portal: Portal;
	readonly apps: App[];
	readonly departments: Department[];
	readonly operators: Operator[];
	readonly visitors: Visitor[];
	/** Newest first by `chatinitiated_time`; chats sharing a millisecond are ordered by descending `chat_id`. */
	readonly chats: V1Chat[] = [];

	private readonly records: ChatRecord[] = [];
	private readonly byId = new Map<string, ChatRecord>();
	private readonly visitorPhones = new Map<Visitor, string>();
	private readonly views = new Map<string, Visitor[]>();
	private readonly byEmail = new Map<string, Visitor>();
	private readonly staff = new Map<string, Operator[]>();
	private readonly embedNames = new Map<App, string>();
	private readonly infoSnapshots = new Map<Visitor, Readonly<Record<string, string>>>();
	private readonly transcriptCache = new Map<string, Transcript>();
	private attachmentIndex?: Map<string, AttachmentInfo>;
	private readonly addedRng: Random;
	private nextNum: number;
	private readonly now: () => number;

	constructor(options: DatasetOptions) {
		this.seed = options.seed;
		this.anchorTime = options.anchorTime;
		this.now = options.now;
		const rng = new Random(mix(options.seed, 1));
		const prefix = String(rng.int(10000, 99999));
		const id = (n: number) => `${prefix}${String(n).padStart(11, '0')}`;

		const [screenname, name] = rng.pick(COMPANIES);
		const orgId = rng.digits(8);
		this.operators = this.makeOperators(rng, id, screenname);
		const owner = this.operators[0];
		this.portal = {
			id: id(1),
			screenname,
			name,
			website: `https://www.${screenname}.example`,
			email_id: `support@${screenname}.example`,
			time_zone: rng.pick(['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney']),
			language: 'en',
			org_id: orgId,
			owner: { email_id: owner.email, zuid: rng.digits(9), operator_id: owner.id, name: owner.name },
		};
		this.apps = [name, `${name} Support`, `${name} Store`].slice(0, rng.int(2, 3)).map((appName, i) => ({
			id: options.wideAppIds ? `${prefix}${String(2043 + i * 1000).padStart(12, '0')}` : id(2043 + i * 1000),
			name: appName,
		}));
		const created = String(this.anchorTime - 400 * DAY + rng.int(0, DAY));
		this.departments = DEPARTMENT_NAMES.slice(0, rng.int(3, 5)).map((deptName, i) => ({
			id: id(2013 + i * 1000),
			name: deptName,
			display_name: deptName,
			description: `${deptName} team of ${name}`,
			is_enabled: 'true',
			is_public: 'true',
			is_system_generated: i === 0 ? 'true' : 'false',
			created_time: created,
			modified_time: created,
		}));
		this.operators.forEach((op, i) => {
			op.department_ids = [this.departments[i % this.departments.length].id];
			if (i >= this.departments.length && rng.chance(0.5)) {
				const extra = rng.pick(this.departments).id;
				if (!op.department_ids.includes(extra)) op.department_ids.push(extra);
			}
		});
		for (const app of this.apps) this.embedNames.set(app, app.name.toLowerCase().replace(/\s+/g, ''));
		for (const department of this.departments) {
			this.staff.set(department.id, this.operators.filter((op) => op.department_ids.includes(department.id)));
		}

		this.visitors = this.makeVisitors(new Random(mix(options.seed, 2)), options.visitors);
		this.makeChats(new Random(mix(options.seed, 3)), options.chats);
		this.addedRng = new Random(mix(options.seed, 4));
		this.nextNum = 1000 + options.chats;
	}

	private makeOperators(rng: Random, id: (n: number) => string, screenname: string): Operator[] {
		const count = rng.int(6, 10);
		const used = new Set<string>();
		const operators: Operator[] = [];
		for (let i = 0; i < count; i++) {
			let first = rng.pick(FIRST_NAMES);
			while (used.has(first)) first = rng.pick(FIRST_NAMES);
			used.add(first);
			const last = rng.pick(LAST_NAMES);
			operators.push({
				id: id(2001 + i * 1000),
				wms_id: `50000000${String(i + 1).padStart(5, '0')}`,
				name: `${first} ${last}`,
				first_name: first,
				last_name: last,
				email: `${first.toLowerCase()}@${screenname}.example`,
				role: i === 0 ? 'Administrator' : i < 3 ? 'Supervisor' : 'Associate',
				department_ids: [],
			});
		}
		return operators;
	}

	private makeVisitors(rng: Random, count: number): Visitor[] {
		const visitors: Visitor[] = [];
		const returning: Visitor[] = [];
		for (let i = 0; i < count; i++) {
			const first = rng.pick(FIRST_NAMES);
			const last = rng.pick(LAST_NAMES);
			const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
			const domain = rng.pick(EMAIL_DOMAINS);
			let email = `${local}@${domain}`;
			for (let n = 2; this.byEmail.has(email); n++) email = `${local}${n}@${domain}`;
			const [country] = rng.pick(COUNTRIES);
			const customerInfo: Record<string, string> = {};
			if (rng.chance(0.6)) customerInfo.plan = rng.pick(PLANS);
			if (rng.chance(0.3)) customerInfo.company = `${rng.pick(LAST_NAMES)} ${rng.pick(['Ltd', 'GmbH', 'Inc', 'LLC'])}`;
			if (rng.chance(0.2)) customerInfo.crm_id = rng.digits(10);
			const visitor: Visitor = {
				id: String(1000 + i),
				name: `${first} ${last}`,
				email,
				user_uniqueid: rng.uuid(),
				lastvisit_time: String(this.anchorTime - rng.int(60_000, CHAT_SPAN_MS)),
				lastvisit_source: rng.pick(SOURCES),
				lastcontacted_mode: rng.pick(CONTACT_MODES),
				total_timespent: String(rng.int(10_000, 5 * 3_600_000)),
				leadscore: String(rng.int(0, 500)),
				country,
				customer_info: customerInfo,
			};
			if (rng.chance(0.7)) this.visitorPhones.set(visitor, `+1${rng.digits(10)}`);
			if (rng.chance(0.45)) returning.push(visitor);
			if (Object.keys(customerInfo).length > 0) this.infoSnapshots.set(visitor, Object.freeze({ ...customerInfo }));
			this.byEmail.set(email, visitor);
			visitors.push(visitor);
		}
		const order = (a: Visitor, b: Visitor) =>
			Number(b.lastvisit_time) - Number(a.lastvisit_time) || Number(a.id) - Number(b.id);
		this.views.set('-1', [...visitors].sort(order));
		this.views.set('-2', returning.sort(order));
		return visitors;
	}

	/**
	 * Spreads the chats over the 30 days before the anchor, newest first. About 5% of neighbours
	 * share a millisecond (runs of at most 4), and chats 49/50 and 99/100 of every hundred always do,
	 * so same-millisecond runs straddle the first page boundary for limit 50 and 100.
	 */
	private makeChats(rng: Random, count: number): void {
		const meanGap = CHAT_SPAN_MS / max(count, 1);
		const gaps = new Float64Array(count);
		let total = 0;
		let run = 1;
		for (let i = 1; i < count; i++) {
			if (i % 50 === 0) {
				run++;
			} else if (run < MAX_RANDOM_RUN && rng.chance(0.05)) {
				run++;
			} else {
				gaps[i] = exponential(rng, meanGap);
				total += gaps[i];
				run = 1;
			}
		}
		const first = rng.int(60_000, max(60_000, floor(meanGap)));
		// Rounding adds at most 1 ms per chat, so leave that much room to stay inside the 30 days.
		const scale = total > 0 ? min(1, max(0, CHAT_SPAN_MS - first - count) / total) : 1;
		let time = this.anchorTime - first;
		for (let i = 0; i < count; i++) {
			if (gaps[i] > 0) time -= max(1, round(gaps[i] * scale));
			const record = this.makeChat(rng, 1000 + count - 1 - i, time, false);
			this.records.push(record);
			this.chats.push(record.chat);
			this.byId.set(record.chat.chat_id, record);
		}
	}

	/**
	 * One chat. Built as two fixed object literals (answered, missed) and with shared read-only
	 * pieces, because 100,000 of these must be created in well under a second.
	 */
	private makeChat(rng: Random, num: number, time: number, live: boolean): ChatRecord {
		const app = rng.pick(this.apps);
		const department = rng.pick(this.departments);
		const visitor = this.visitors.length > 0 && rng.chance(0.88) ? rng.pick(this.visitors) : undefined;
		const operator = rng.chance(0.12) ? undefined : rng.pick(this.staff.get(department.id) as Operator[]);
		const countryCode = rng.pick(COUNTRIES)[1];
		const question = rng.pick(QUESTIONS);
		const ip = `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
		const visitorName = visitor ? visitor.name : `Visitor ${rng.digits(5)}`;
		let chat: V1Chat;
		let messageCount = 0;
		let attachmentCount = 0;
		if (operator) {
			const waited = rng.int(3_000, 90_000);
			const duration = rng.int(60_000, 40 * 60_000);
			const supervisor = rng.chance(0.05) ? this.supervisorFor(operator) : undefined;
			messageCount = rng.chance(0.03) ? rng.int(210, 420) : rng.int(4, 40);
			attachmentCount = rng.chance(0.15) ? rng.int(1, 3) : 0;
			chat = {
				chat_id: `${num}`,
				chat_title: app.name,
				question,
				department_id: department.id,
				department_name: department.name,
				embed_id: app.id,
				embed_name: this.embedNames.get(app) as string,
				attender_id: operator.id,
				attender_name: operator.name,
				attender_email: operator.email,
				participants: [operator.wms_id],
				supervisor: supervisor ? [supervisor.wms_id] : [],
				chatinitiated_time: `${time}`,
				pickup_time: `${time + waited}`,
				end_time: `${time + waited + duration}`,
				chat_duration: `${duration}`,
				waited_duration: `${waited}`,
				visitor_name: visitorName,
				visitor_ip: ip,
				country_code: countryCode,
			};
		} else {
			const waited = rng.int(60_000, 300_000);
			chat = {
				chat_id: `${num}`,
				chat_title: app.name,
				question,
				department_id: department.id,
				department_name: department.name,
				embed_id: app.id,
				embed_name: this.embedNames.get(app) as string,
				participants: [],
				supervisor: [],
				chatinitiated_time: `${time}`,
				missed_time: `${time + waited}`,
				waited_duration: `${waited}`,
				visitor_name: visitorName,
				visitor_ip: ip,
				country_code: countryCode,
			};
		}
		if (visitor) {
			chat.visitor_email = visitor.email;
			const phone = this.visitorPhones.get(visitor);
			if (phone) chat.visitor_phoneno = phone;
			// Chats generated at startup share one read-only snapshot of their visitor's info.
			if (!live) {
				const info = this.infoSnapshots.get(visitor);
				if (info) chat.customer_info = info;
			} else if (Object.keys(visitor.customer_info).length > 0) {
				chat.customer_info = { ...visitor.customer_info };
			}
		}
		return {
			chat,
			num,
			time,
			seed: mix(this.seed, num, 0xc4a7),
			missed: operator === undefined,
			messageCount,
			attachmentCount,
			visitor,
			operator,
		};
	}

	private supervisorFor(operator: Operator): Operator | undefined {
		return this.operators.find((op) => op.role !== 'Associate' && op !== operator);
	}

	chatRecord(chatId: string): ChatRecord | undefined {
		return this.byId.get(chatId);
	}

	chatById(chatId: string): V1Chat | undefined {
		return this.byId.get(chatId)?.chat;
	}

	/**
	 * The serialized chats [start, end) of the newest-first list. Each chat's JSON is cached: the
	 * sandbox never changes a chat after creating it, and list pages are its hottest path.
	 */
	chatsJson(start: number, end: number): string {
		const parts: string[] = [];
		for (let i = start; i < end; i++) {
			const record = this.records[i];
			record.json ??= JSON.stringify(record.chat);
			parts.push(record.json);
		}
		return `[${parts.join(',')}]`;
	}

	/** Index range [start, end) of the newest-first list within the inclusive time bounds. */
	chatRange(fromTime?: number, toTime?: number): [number, number] {
		const start = toTime === undefined ? 0 : firstAtOrBefore(this.records, toTime);
		const end = fromTime === undefined ? this.records.length : firstAtOrBefore(this.records, fromTime - 1);
		return [start, max(start, end)];
	}

	/** The full transcript, oldest first with the header first; undefined for unknown and missed chats. */
	transcriptOf(chatId: string): TranscriptEntry[] | undefined {
		return this.transcript(chatId)?.entries;
	}

	/** Transcript plus parallel times and attachment details; cached for recently used chats. */
	transcript(chatId: string): Transcript | undefined {
		const record = this.byId.get(chatId);
		if (!record || record.missed) return undefined;
		const cached = this.transcriptCache.get(chatId);
		if (cached) {
			this.transcriptCache.delete(chatId);
			this.transcriptCache.set(chatId, cached);
			return cached;
		}
		const transcript = this.buildTranscript(record);
		this.transcriptCache.set(chatId, transcript);
		if (this.transcriptCache.size > TRANSCRIPT_CACHE_SIZE) {
			this.transcriptCache.delete(this.transcriptCache.keys().next().value as string);
		}
		return transcript;
	}

	/**
	 * Every attachment in the dataset by fileId. Built on first use by generating the transcripts
	 * of the chats that have attachments, then kept up to date by `addChats`.
	 */
	get attachments(): Map<string, AttachmentInfo> {
		if (!this.attachmentIndex) {
			this.attachmentIndex = new Map();
			for (const record of this.records) this.indexAttachments(record);
		}
		return this.attachmentIndex;
	}

	private indexAttachments(record: ChatRecord): void {
		if (!this.attachmentIndex || record.attachmentCount === 0) return;
		for (const info of this.buildTranscript(record).attachments) this.attachmentIndex.set(info.fileId, info);
	}

	private buildTranscript(record: ChatRecord): Transcript {
		const rng = new Random(record.seed);
		const chat = record.chat;
		const operator = record.operator as Operator;
		const start = record.time;
		const pickup = Number(chat.pickup_time);
		const end = Number(chat.end_time);
		const visitorName = chat.visitor_name;
		const visitorSender = `$${record.visitor ? record.visitor.user_uniqueid.replace(/-/g, '').slice(0, 19) : mix(record.seed, 9)}`;
		const operatorFirst = operator.first_name;
		const entries: TranscriptEntry[] = [
			{ chatinitiated_time: chat.chatinitiated_time, visitor_name: visitorName, question: chat.question },
		];
		const times: number[] = [start];
		const attachments: AttachmentInfo[] = [];
		const push = (entry: TranscriptMessage | AttachmentMessage) => {
			entries.push(entry);
			times.push(Number(entry.time));
		};
		const count = record.messageCount;
		push({ sender: visitorSender, time: String(start + rng.int(1, min(1500, pickup - start - 1))), dname: visitorName, msg: chat.question });
		push({ sender: operator.wms_id, time: String(pickup), dname: operator.name, msg: `Hi ${visitorName.split(' ')[0]}, this is ${operatorFirst}. How can I help you today?` });

		// The remaining messages fill (pickup, end]; a zero weight puts two messages in one millisecond.
		const rest = count - 2;
		const weights: number[] = [];
		let total = 0;
		for (let i = 0; i < rest; i++) {
			const w = i > 0 && rng.chance(0.06) ? 0 : 0.2 + rng.next();
			weights.push(w);
			total += w;
		}
		const attachmentAt = new Set<number>();
		while (attachmentAt.size < min(record.attachmentCount, max(rest - 1, 0))) attachmentAt.add(rng.int(0, rest - 2));
		const folder = `2${new Random(mix(record.seed, 7)).digits(18)}`;
		let cumulative = 0;
		let fromVisitor = true;
		for (let i = 0; i < rest; i++) {
			cumulative += weights[i];
			const time = pickup + max(1, round((cumulative / total) * (end - pickup)));
			const last = i === rest - 1;
			if (!last && rng.chance(0.7)) fromVisitor = !fromVisitor;
			const sender = last || !fromVisitor ? operator.wms_id : visitorSender;
			const dname = last || !fromVisitor ? operator.name : visitorName;
			if (attachmentAt.has(i)) {
				const k = attachments.length;
				const spec = this.attachmentSpec(rng, record, k);
				const bytes = renderAttachment(spec);
				const fileId = `A_${time}${record.num}${k}`;
				const url = `/attachments/${folder}/${fileId}`;
				const msg: AttachmentMessage['msg'] = {
					fileId,
					fName: spec.fileName,
					content: CONTENT_TYPES[spec.kind],
					size: String(bytes.length),
					url,
				};
				if (spec.width && spec.height) msg.dim = { height: String(spec.height), width: String(spec.width) };
				push({ sender, time: String(time), dname, mode: 'att', msg });
				attachments.push({
					fileId,
					fName: spec.fileName,
					content: msg.content,
					size: bytes.length,
					chatId: chat.chat_id,
					url,
					get bytes() {
						return renderAttachment(spec);
					},
				});
				continue;
			}
			const pool = fromVisitor && !last ? VISITOR_LINES : OPERATOR_LINES;
			const text = last
				? `Thanks for chatting with us, ${visitorName.split(' ')[0]}! Have a great day.`
				: rng.pick(pool).replace('{n}', rng.digits(6));
			push({ sender, time: String(time), dname, msg: text });
		}
		return { entries, times, attachments };
	}

	private attachmentSpec(rng: Random, record: ChatRecord, index: number): AttachmentSpec {
		const kind = rng.pick<AttachmentKind>(['png', 'png', 'pdf', 'txt']);
		const spec: AttachmentSpec = { kind, fileName: rng.pick(FILE_NAMES[kind]), seed: mix(record.seed, 100 + index) };
		if (kind === 'png') {
			spec.width = rng.int(16, 96);
			spec.height = rng.int(16, 96);
		} else {
			const lines = [`${this.portal.name}: ${spec.fileName}`, `Chat ${record.chat.chat_id}`];
			const lineCount = rng.int(3, 20);
			for (let i = 0; i < lineCount; i++) lines.push(rng.pick([...VISITOR_LINES, ...OPERATOR_LINES]).replace('{n}', rng.digits(6)));
			spec.lines = lines;
		}
		return spec;
	}

	/** The visitors of a built-in view (-1 all, -2 returning), newest visit first; undefined for other views. */
	visitorsInView(viewId: string): readonly Visitor[] | undefined {
		return this.views.get(viewId);
	}

	visitorByEmail(email: string): Visitor | undefined {
		return this.byEmail.get(email.toLowerCase());
	}

	/**
	 * Adds `count` chats while the sandbox runs, for tests where data changes during paging.
	 * New chats get the next chat ids and are inserted in time order.
	 */
	addChats(count: number, options: AddChatsOptions = {}): V1Chat[] {
		const at = options.atTime ?? this.now();
		const spacing = options.spacingMs ?? 0;
		const added: V1Chat[] = [];
		for (let k = 0; k < count; k++) {
			const record = this.makeChat(this.addedRng, this.nextNum++, at + k * spacing, true);
			const index = firstAtOrBefore(this.records, record.time);
			this.records.splice(index, 0, record);
			this.chats.splice(index, 0, record.chat);
			this.byId.set(record.chat.chat_id, record);
			this.indexAttachments(record);
			added.push(record.chat);
		}
		return added;
	}
}
