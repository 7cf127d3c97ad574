// A Teams webhook on 127.0.0.1. As a Workflows (Power Automate) trigger it validates each request
// against the Adaptive Card 1.4 subset schema with the message envelope
// (test/fixtures/chat/adaptive-card-1.4-subset.schema.json) and answers 202; as an old O365
// connector it checks the MessageCard fields and answers 200 "1". Errors use the documented
// bodies; the test scripts the next answers (429 with Retry-After, 404 WorkflowNotFound, 5xx …).
import { Ajv } from 'ajv';
import { fixtureJson } from './fixtures.ts';
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

export type TeamsAnswer = VendorAnswer;

export const validateWorkflowsCard = new Ajv({ allErrors: true }).compile(fixtureJson('chat/adaptive-card-1.4-subset.schema.json'));

/** The documented Power Automate error body. */
export function workflowsError(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

const PATH = '/workflows/0123abcd/triggers/manual/paths/invoke';
/** Teams' documented limit for a message posted to a channel. */
const MAX_MESSAGE_BYTES = 28 * 1024;
const QUERY = '?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s1gn4tur3s1gn4tur3';

export class TeamsReceiver extends VendorReceiver {
  private readonly kind: 'workflows' | 'connector';

  constructor(now: () => number, kind: 'workflows' | 'connector' = 'workflows') {
    super(now, 'application/json');
    this.kind = kind;
  }

  get url(): string {
    return this.urlFor(`${PATH}${QUERY}`);
  }

  protected decide(req: Received): VendorAnswer {
    if (req.method !== 'POST' || req.url !== `${PATH}${QUERY}`) return { status: 404, body: workflowsError('WorkflowNotFound', 'The workflow was not found.') };
    // Teams' message size limit (28 KB): a connector reports the refusal inside a 200, as it does
    // throttling; a flow's post to the channel fails, which here is a 413.
    if (Buffer.byteLength(req.body) > MAX_MESSAGE_BYTES) {
      this.violations.push(`message of ${Buffer.byteLength(req.body)} bytes, over Teams' 28 KB`);
      return this.kind === 'workflows'
        ? { status: 413, body: workflowsError('MessageSizeExceeded', 'The message is larger than the 28 KB Teams allows.') }
        : { status: 200, body: 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 413 with ContextId tcid=0' };
    }
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      this.violations.push('not JSON');
      return { status: 400, body: workflowsError('InvalidRequestContent', 'The request content is not valid JSON.') };
    }
    const problem = this.kind === 'workflows' ? cardProblem(body) : messageCardProblem(body);
    if (problem) {
      this.violations.push(problem);
      return this.kind === 'workflows'
        ? { status: 400, body: workflowsError('InvalidRequestContent', problem) }
        : { status: 400, body: 'Bad payload received by generic incoming webhook.' };
    }
    return this.nextScripted() ?? (this.kind === 'workflows' ? { status: 202, body: '' } : { status: 200, body: '1' });
  }
}

function cardProblem(body: unknown): string | undefined {
  return validateWorkflowsCard(body) ? undefined : `adaptive card: ${JSON.stringify(validateWorkflowsCard.errors)}`;
}

/** What an O365 connector insists on: the MessageCard type, a summary or text, sections of the documented fields. */
function messageCardProblem(body: unknown): string | undefined {
  const card = body as { '@type'?: unknown; summary?: unknown; text?: unknown; themeColor?: unknown; sections?: unknown };
  if (card['@type'] !== 'MessageCard') return 'MessageCard: @type';
  if (typeof card.summary !== 'string' && typeof card.text !== 'string') return 'MessageCard: Summary or Text is required.';
  if (card.themeColor !== undefined && !/^[0-9a-fA-F]{6}$/.test(String(card.themeColor))) return 'MessageCard: themeColor';
  const known = new Set(['activityTitle', 'activitySubtitle', 'activityImage', 'activityText', 'text', 'title', 'facts', 'markdown']);
  for (const section of Array.isArray(card.sections) ? (card.sections as Record<string, unknown>[]) : []) {
    const unknown = Object.keys(section).filter((k) => !known.has(k));
    if (unknown.length > 0) return `MessageCard: unknown section keys ${unknown.join(', ')}`;
    const facts = section.facts;
    if (facts !== undefined && (!Array.isArray(facts) || facts.some((f: { name?: unknown; value?: unknown }) => typeof f.name !== 'string' || typeof f.value !== 'string'))) {
      return 'MessageCard: facts must be {name, value} strings';
    }
  }
  return undefined;
}
