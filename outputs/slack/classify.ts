// Slack's answers to an incoming-webhook POST → what happens to the alerts of that message and of the
// messages after it in the batch. Slack answers 200 "ok", or a status with a short error string as
// the body (api.slack.com/messaging/webhooks#handling_errors, changelog 2016-05-17):
//   400 invalid_payload, no_text, too_many_attachments, user_not_found, posting_to_general_channel_denied, team_disabled
//   403 action_prohibited, invalid_token     404 channel_not_found, no_service, no_service_id, no_team
//   410 channel_is_archived                  429 rate_limited (Retry-After: seconds)   500 rollup_error
import { classifyHttp, excerpt, fail, retry, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';

export type ChatVerdict =
  /** This message's alerts get `outcome`; go on with the next message. */
  | { scope: 'message'; outcome: Outcome }
  /** This message's alerts and every later one get `outcome`; send nothing more of this batch. */
  | { scope: 'rest'; outcome: Outcome };

/** The webhook (or the channel it posts to) is gone for good: retrying cannot help, dead-letter. */
const GONE: Readonly<Record<string, string>> = {
  no_service: 'the webhook was revoked or its app removed',
  no_service_id: 'the webhook URL is not a valid webhook',
  no_team: 'the workspace of the webhook no longer exists',
  team_disabled: 'the workspace of the webhook is disabled',
  invalid_token: 'the webhook token is invalid (revoked or mistyped URL)',
  channel_not_found: 'the channel of the webhook (or slack.channel) does not exist',
  channel_is_archived: 'the channel is archived',
  action_prohibited: 'the workspace forbids this webhook to post here',
  user_not_found: 'the user of slack.channel does not exist',
  posting_to_general_channel_denied: 'only admins may post to this channel',
};

/** Wrong for this one message only (Peregrine built a message Slack would not take): dead-letter it, go on. */
const BAD_MESSAGE = new Set(['invalid_payload', 'no_text', 'too_many_attachments', 'invalid_blocks', 'invalid_attachments']);

export function classifySlack(res: HttpResponse, now: number = Date.now()): ChatVerdict {
  if (res.status >= 200 && res.status < 300) return { scope: 'message', outcome: classifyHttp(res) };
  const code = res.text.trim();
  const gone = GONE[code];
  if (gone !== undefined) {
    return { scope: 'rest', outcome: fail(`Slack answered ${res.status} ${code}: ${gone}; set a working slack.webhookurl (alerts kept in the dead-letter store)`) };
  }
  if (BAD_MESSAGE.has(code)) return { scope: 'message', outcome: fail(`Slack answered ${res.status} ${code}: Slack refused this message`) };
  return classifyWebhookAnswer(res, now, 'Slack', 'slack', code);
}

/**
 * An answer a chat service's own codes did not settle: a 404 or 410 means the webhook is gone
 * (dead-letter the rest), a 401 or 403 refused access (hold, the URL may be fixed); 429 (with
 * Retry-After), 5xx and the rest follow the shared HTTP rules. A retry stops the batch so that
 * later messages do not overtake the ones waiting.
 */
export function classifyWebhookAnswer(res: HttpResponse, now: number, service: string, section: string, code = res.text.trim()): ChatVerdict {
  const said = `${service} answered ${res.status}${code ? ` ${excerpt(code)}` : ''}`;
  if (res.status === 404 || res.status === 410) return { scope: 'rest', outcome: fail(`${said}: the webhook is gone; set a working ${section}.webhookurl`) };
  if (res.status === 401 || res.status === 403) return { scope: 'rest', outcome: retry(`${said}: access refused; check ${section}.webhookurl`, { auth: true }) };
  const outcome = classifyHttp(res, now);
  return { scope: outcome.kind === 'retry' ? 'rest' : 'message', outcome };
}
