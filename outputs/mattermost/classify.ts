// Mattermost's answers to an incoming-webhook POST. 200 "ok" (text/plain), or an AppError as JSON:
// {"id": "web.incoming_webhook.invalid.app_error", "message": "…", "status_code": 400, …}. The id
// says what went wrong (server/channels/web/webhook.go and app/webhook.go, HandleIncomingWebhook):
//   400 invalid (the webhook could not be found: deleted, or the server's store failing), parse / text / split_props_length (this message)
//   404 channel (the webhook's channel is gone)   403 user / permissions / channel_locked
//   501 disabled (incoming webhooks are off on the server)   429 when the server's rate limit is on (Retry-After)
import { fail, jsonObject, retry, type HttpResponse } from '../../src/plugin/index.ts';
import { classifyWebhookAnswer, type ChatVerdict } from '../slack/classify.ts';

/** The webhook's channel is gone: retrying cannot help, dead-letter. */
const GONE: Readonly<Record<string, string>> = {
  'web.incoming_webhook.channel.app_error': 'the channel of the webhook does not exist',
  'app.channel.get.existing.app_error': 'the channel of the webhook does not exist',
};

/**
 * Refused until something changes on the server: alerts wait (the output shows failing) and are
 * dead-lettered when retry.maxagems runs out. Mattermost answers invalid.app_error for any failure
 * to look the webhook up, its database failing over included, not only for a deleted webhook.
 */
const HELD: Readonly<Record<string, string>> = {
  'web.incoming_webhook.invalid.app_error': 'no such webhook (deleted, a mistyped URL, or the server could not look it up); check mattermost.webhookurl',
  'web.incoming_webhook.disabled.app_error': 'incoming webhooks are disabled on the server (System Console > Integrations > Integration Management)',
  'web.incoming_webhook.user.app_error': 'the user who created the webhook is deactivated or gone',
  'web.incoming_webhook.permissions.app_error': 'the webhook\'s user may not post to its channel',
  'web.incoming_webhook.channel_locked.app_error': 'the webhook is locked to another channel',
};

/** Wrong for this one message only: dead-letter it, go on. */
const BAD_MESSAGE = new Set([
  'web.incoming_webhook.parse.app_error',
  'web.incoming_webhook.text.app_error',
  'web.incoming_webhook.split_props_length.app_error',
  'api.webhook.incoming.error',
]);

export function classifyMattermost(res: HttpResponse, now: number): ChatVerdict {
  const error = res.status >= 300 ? jsonObject<{ id?: unknown; message?: unknown }>(res.text) : undefined;
  const id = typeof error?.id === 'string' ? error.id : '';
  const said = `Mattermost answered ${res.status} ${id}${typeof error?.message === 'string' ? ` (${error.message})` : ''}`;
  const gone = GONE[id];
  if (gone !== undefined) return { scope: 'rest', outcome: fail(`${said}: ${gone}; set a working mattermost.webhookurl (alerts kept in the dead-letter store)`) };
  const held = HELD[id];
  if (held !== undefined) return { scope: 'rest', outcome: retry(`${said}: ${held}`, { auth: true }) };
  if (BAD_MESSAGE.has(id)) return { scope: 'message', outcome: fail(`${said}: Mattermost refused this message`) };
  return classifyWebhookAnswer(res, now, 'Mattermost', 'mattermost', id || undefined);
}
