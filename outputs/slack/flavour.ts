// Slack, Mattermost and Rocket.Chat take the same incoming-webhook message (Mattermost and
// Rocket.Chat read Slack's attachments), and falcosidekick builds it the same way for all three with
// small differences. A flavour is what differs: where the hostname field goes, the footer, the icon
// sent for an empty `icon`, how the service's answers read, and its pace.
import { retryAfterMs, type HttpResponse } from '../../src/plugin/index.ts';
import { classifySlack, type ChatVerdict } from './classify.ts';

export interface ChatFlavour {
  /** The service's name in reasons and summaries: "Slack". */
  readonly service: string;
  /** The config section, for "set a working <section>.webhookurl". */
  readonly section: string;
  /** Where falcosidekick puts the hostname field: after source (Slack), after rule (Mattermost), last (Rocket.Chat). */
  readonly hostname: 'after-source' | 'after-rule' | 'last';
  /** Whether the attachment carries `footer` (falcosidekick's Rocket.Chat message has none). */
  readonly footer: boolean;
  /** `icon_url` sent when `icon` is "": none for Slack, falcosidekick's plain logo for the others. */
  readonly iconWhenEmpty: string;
  /** The line under a summary: why the burst was folded. */
  readonly foldNote: string;
  /** Least time between two messages, ms (0: as fast as answers come). */
  readonly paceMs: number;
  classify(res: HttpResponse, now: number): ChatVerdict;
  /** After this answer, how long nothing more may be posted (a 429's wait, a spent rate window), ms; undefined: no hold. */
  holdAfter(res: HttpResponse, now: number): number | undefined;
  /** The service's rate window as this answer reports it (Rocket.Chat), so a batch is planned into the messages left. */
  window?(res: HttpResponse, now: number): { remaining: number; resetInMs: number } | undefined;
}

/** A 429 holds the webhook for its Retry-After, one second when it gives none. */
export function holdOn429(res: HttpResponse, now: number): number | undefined {
  return res.status === 429 ? (retryAfterMs(res.headers['retry-after'], now) ?? 1000) : undefined;
}

export const SLACK: ChatFlavour = {
  service: 'Slack',
  section: 'slack',
  hostname: 'after-source',
  footer: true,
  iconWhenEmpty: '',
  foldNote: "Folded into one message to stay within Slack's rate limit of about one message per second.",
  paceMs: 1000,
  classify: classifySlack,
  holdAfter: holdOn429,
};
