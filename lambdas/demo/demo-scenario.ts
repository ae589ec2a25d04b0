/**
 * What `npm run demo`'s traffic is made of: a small product with several users on three tiers,
 * five features, sessions, two environments, and one feature whose provider is overloaded. Pure
 * (no I/O): a seeded sequence of calls, each saying which SDK call to make, with which headers
 * and how the mock provider should answer it; `demo-traffic.ts` sends them.
 *
 * The mix, per feature (share of the calls):
 * - `chat` (30%): OpenAI chat, mostly streamed, conversations as sessions;
 * - `support-bot` (25%): Anthropic messages, one session per ticket with a tree of steps
 *   (`/triage`, `/triage/search-kb`, `/draft-reply` streamed, `/draft-reply/review`); in production
 *   its provider is overloaded and answers 529 to about a third of the calls, which is what the
 *   guide's "Production error rate" alert catches;
 * - `summarize` (15%): Anthropic, with the response cache on, over a handful of documents, so
 *   most calls are cache hits;
 * - `search` (12%): OpenAI embeddings;
 * - `autocomplete` (18%): a fine-tuned model the price table does not know (logged unpriced),
 *   used most by `dave`, a free-tier user whom the free tier's quota rate-limits (429).
 */
import { MOCK_HEADERS } from './mock-provider.js';
import { seededRandom } from './seeded-random.js';

export type DemoTier = 'free' | 'pro' | 'enterprise';
export type DemoFeature = 'chat' | 'support-bot' | 'summarize' | 'search' | 'autocomplete';
export type DemoEnvironment = 'production' | 'staging';
/** The gateway keys the demo's two services use (app keys, as a real deployment would give them). */
export type DemoKeyName = 'web-app' | 'support-service';

export interface DemoUser {
  id: string;
  tier: DemoTier;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'alice', tier: 'pro' },
  { id: 'bob', tier: 'pro' },
  { id: 'carol', tier: 'enterprise' },
  { id: 'dave', tier: 'free' },
  { id: 'erin', tier: 'free' },
  { id: 'frank', tier: 'enterprise' },
];

/** The free tier's quota, made through `POST /v1/quotas` (README, "Quotas and rate limits"). */
export const FREE_TIER_QUOTA = {
  name: 'free-tier-requests',
  unit: 'requests',
  limit: 20,
  windowSeconds: 60,
  scope: 'user',
  match: { properties: { tier: 'free' } },
} as const;

/** The fine-tune the autocomplete feature uses; no price is filed under it, so it is logged unpriced. */
export const UNPRICED_MODEL = 'ft:gpt-4o-mini-2024-07-18:acme:autocomplete:7p4x';

/** The status an overloaded Anthropic answers with. */
export const OVERLOADED_STATUS = 529;

export interface DemoSession {
  id: string;
  path: string;
  name: string;
}

/** One call of the demo's traffic. */
export interface DemoCall {
  feature: DemoFeature;
  api: 'openai-chat' | 'openai-embeddings' | 'anthropic-messages';
  model: string;
  stream: boolean;
  key: DemoKeyName;
  user: DemoUser;
  environment: DemoEnvironment;
  session: DemoSession | null;
  /** Asks for the response cache (`Lookout-Cache-Enabled`). */
  cache: boolean;
  /** The user's message (or the text to embed). */
  input: string;
  maxTokens: number;
  /** How the mock provider answers: its status (null: 200), its delay, its usage. */
  mock: { status: number | null; latencyMs: number; promptTokens: number; completionTokens: number };
}

const FEATURE_WEIGHTS: readonly [DemoFeature, number][] = [
  ['chat', 30],
  ['support-bot', 25],
  ['summarize', 15],
  ['search', 12],
  ['autocomplete', 18],
];

/** Share of support-bot calls in production that the overloaded provider refuses. */
const SUPPORT_BOT_OVERLOAD_SHARE = 0.35;
const STAGING_SHARE = 0.15;

const CHAT_TOPICS = ['Trip planning', 'Quarterly report', 'Recipe ideas', 'SQL help', 'Cover letter'];
const CHAT_MESSAGES = [
  'Can you suggest a three-day itinerary for Lisbon?',
  'Summarise the main risks in this quarter’s numbers.',
  'What can I cook with leeks, potatoes and cream?',
  'Why does this query do a full table scan?',
  'Make this paragraph sound more confident.',
  'And what about the second point?',
];
const SUPPORT_STEPS: readonly { path: string; model: string; stream: boolean; prompt: [number, number]; completion: [number, number] }[] = [
  { path: '/triage', model: 'claude-haiku-4-5', stream: false, prompt: [600, 1_200], completion: [20, 60] },
  { path: '/triage/search-kb', model: 'claude-haiku-4-5', stream: false, prompt: [1_500, 3_000], completion: [80, 200] },
  { path: '/draft-reply', model: 'claude-sonnet-4-6', stream: true, prompt: [2_000, 4_000], completion: [200, 500] },
  { path: '/draft-reply/review', model: 'claude-haiku-4-5', stream: false, prompt: [800, 1_500], completion: [30, 90] },
];
const SUPPORT_TICKETS = [
  'I was charged twice this month',
  'The export button does nothing',
  'How do I add a teammate?',
  'My invoice shows the wrong VAT number',
];
const DOCUMENTS: readonly { title: string; promptTokens: number }[] = [
  { title: 'Q3 board memo', promptTokens: 4_200 },
  { title: 'Onboarding guide', promptTokens: 3_100 },
  { title: 'Incident review 2026-11-02', promptTokens: 5_400 },
  { title: 'Pricing FAQ', promptTokens: 2_300 },
  { title: 'Security whitepaper', promptTokens: 6_000 },
];
const SEARCH_QUERIES = ['refund policy', 'reset password', 'api rate limits', 'sso setup', 'export to csv', 'delete my account'];
const AUTOCOMPLETE_PREFIXES = ['Thanks for reaching', 'Could you please', 'I will follow up', 'Let me know if', 'Best regards'];

interface OpenChat {
  session: DemoSession;
  user: DemoUser;
  environment: DemoEnvironment;
  turnsLeft: number;
}

interface OpenTicket {
  number: number;
  user: DemoUser;
  environment: DemoEnvironment;
  subject: string;
  step: number;
}

/** The demo's calls, one after another, the same for the same seed. */
export class DemoScenario {
  private readonly random: () => number;
  private readonly chats = new Map<string, OpenChat>();
  private readonly tickets: OpenTicket[] = [];
  private chatCount = 0;
  private ticketCount = 0;

  constructor(seed = 13) {
    this.random = seededRandom(seed);
  }

  next(): DemoCall {
    const feature = this.weighted(FEATURE_WEIGHTS);
    switch (feature) {
      case 'chat':
        return this.chat();
      case 'support-bot':
        return this.supportStep();
      case 'summarize':
        return this.summarize();
      case 'search':
        return this.search();
      case 'autocomplete':
        return this.autocomplete();
    }
  }

  private chat(): DemoCall {
    const user = this.pick(DEMO_USERS);
    let open = this.chats.get(user.id);
    if (!open || open.turnsLeft === 0) {
      this.chatCount++;
      open = {
        session: { id: `chat-${user.id}-${this.chatCount}`, path: '/chat', name: this.pick(CHAT_TOPICS) },
        user,
        environment: this.environment(),
        turnsLeft: this.between(2, 6),
      };
      this.chats.set(user.id, open);
    }
    open.turnsLeft--;
    const stream = this.random() < 0.8;
    return {
      feature: 'chat',
      api: 'openai-chat',
      model: stream ? 'gpt-4o-mini' : 'gpt-4.1-mini',
      stream,
      key: 'web-app',
      user,
      environment: open.environment,
      session: { ...open.session },
      cache: false,
      input: this.pick(CHAT_MESSAGES),
      maxTokens: 512,
      mock: {
        status: null,
        latencyMs: this.between(250, 900),
        promptTokens: this.between(150, 1_500),
        completionTokens: this.between(40, 400),
      },
    };
  }

  /** The next step of an open ticket (two are worked on at a time), or a new ticket's triage. */
  private supportStep(): DemoCall {
    if (this.tickets.length < 2) {
      this.ticketCount++;
      this.tickets.push({
        number: 1_000 + this.ticketCount,
        user: this.pick(DEMO_USERS),
        environment: this.environment(),
        subject: this.pick(SUPPORT_TICKETS),
        step: 0,
      });
    }
    const index = Math.floor(this.random() * this.tickets.length);
    const ticket = this.tickets[index]!;
    const step = SUPPORT_STEPS[ticket.step]!;
    ticket.step++;
    if (ticket.step === SUPPORT_STEPS.length) this.tickets.splice(index, 1);
    const overloaded = ticket.environment === 'production' && this.random() < SUPPORT_BOT_OVERLOAD_SHARE;
    return {
      feature: 'support-bot',
      api: 'anthropic-messages',
      model: step.model,
      stream: step.stream,
      key: 'support-service',
      user: ticket.user,
      environment: ticket.environment,
      session: { id: `ticket-${ticket.number}`, path: step.path, name: `Support ticket #${ticket.number}` },
      cache: false,
      input: ticket.subject,
      maxTokens: 1_024,
      mock: {
        status: overloaded ? OVERLOADED_STATUS : null,
        latencyMs: overloaded ? this.between(200, 600) : this.between(600, 2_000),
        promptTokens: this.between(...step.prompt),
        completionTokens: this.between(...step.completion),
      },
    };
  }

  private summarize(): DemoCall {
    const document = this.pick(DOCUMENTS);
    return {
      feature: 'summarize',
      api: 'anthropic-messages',
      model: 'claude-haiku-4-5',
      stream: false,
      key: 'web-app',
      user: this.pick(DEMO_USERS),
      environment: this.environment(),
      session: null,
      // The same document gives the same request, so after the first it is answered from the cache.
      cache: true,
      input: `Summarise "${document.title}" in five bullet points.`,
      maxTokens: 400,
      mock: { status: null, latencyMs: this.between(900, 1_600), promptTokens: document.promptTokens, completionTokens: 250 },
    };
  }

  private search(): DemoCall {
    const query = this.pick(SEARCH_QUERIES);
    return {
      feature: 'search',
      api: 'openai-embeddings',
      model: 'text-embedding-3-small',
      stream: false,
      key: 'web-app',
      user: this.pick(DEMO_USERS),
      environment: this.environment(),
      session: null,
      cache: false,
      input: query,
      maxTokens: 0,
      mock: { status: null, latencyMs: this.between(60, 200), promptTokens: query.split(' ').length + 2, completionTokens: 0 },
    };
  }

  private autocomplete(): DemoCall {
    const user = this.random() < 0.3 ? DEMO_USERS.find((u) => u.id === 'dave')! : this.pick(DEMO_USERS);
    return {
      feature: 'autocomplete',
      api: 'openai-chat',
      model: UNPRICED_MODEL,
      stream: false,
      key: 'web-app',
      user,
      environment: this.environment(),
      session: null,
      cache: false,
      input: this.pick(AUTOCOMPLETE_PREFIXES),
      maxTokens: 24,
      mock: { status: null, latencyMs: this.between(80, 300), promptTokens: this.between(40, 160), completionTokens: this.between(4, 24) },
    };
  }

  private environment(): DemoEnvironment {
    return this.random() < STAGING_SHARE ? 'staging' : 'production';
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private between(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private weighted<T>(weights: readonly [T, number][]): T {
    const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.random() * total;
    for (const [item, weight] of weights) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return weights.at(-1)![0];
  }
}

/** The headers a call sends: Lookout's monitoring headers, and the mock provider's answer. */
export function demoCallHeaders(call: DemoCall): Record<string, string> {
  const headers: Record<string, string> = {
    'Lookout-User-Id': call.user.id,
    'Lookout-Property-Environment': call.environment,
    'Lookout-Property-Feature': call.feature,
    'Lookout-Property-Tier': call.user.tier,
    [MOCK_HEADERS.latencyMs]: String(call.mock.latencyMs),
    [MOCK_HEADERS.promptTokens]: String(call.mock.promptTokens),
    [MOCK_HEADERS.completionTokens]: String(call.mock.completionTokens),
  };
  if (call.session) {
    headers['Lookout-Session-Id'] = call.session.id;
    headers['Lookout-Session-Path'] = call.session.path;
    headers['Lookout-Session-Name'] = call.session.name;
  }
  if (call.cache) headers['Lookout-Cache-Enabled'] = 'true';
  if (call.mock.status !== null) headers[MOCK_HEADERS.status] = String(call.mock.status);
  return headers;
}
