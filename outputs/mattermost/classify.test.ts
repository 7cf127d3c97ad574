// Mattermost's answers, by the AppError id its webhook handler gives, and the shared HTTP rules for the rest.
import { describe, expect, it } from 'vitest';
import { classifyMattermost } from './classify.ts';

const appError = (status: number, id: string, message = 'x') => ({ status, text: JSON.stringify({ id, message, detailed_error: '', request_id: 'r1', status_code: status }), headers: { 'content-type': 'application/json' } });
const classify = (res: { status: number; text: string; headers: Record<string, string> }) => classifyMattermost(res, 0);

describe('classifyMattermost', () => {
  it('200 ok is delivered, the batch goes on', () => {
    expect(classify({ status: 200, text: 'ok', headers: {} })).toEqual({ scope: 'message', outcome: { kind: 'ok' } });
  });

  it('a deleted channel dead-letters this message and the rest, naming the key to fix', () => {
    expect(classify(appError(404, 'app.channel.get.existing.app_error', 'Unable to find the existing channel.'))).toEqual({
      scope: 'rest',
      outcome: { kind: 'fail', reason: 'Mattermost answered 404 app.channel.get.existing.app_error (Unable to find the existing channel.): the channel of the webhook does not exist; set a working mattermost.webhookurl (alerts kept in the dead-letter store)' },
    });
  });

  it('an unknown webhook is held, not dead-lettered: Mattermost says the same when its database fails over', () => {
    expect(classify(appError(400, 'web.incoming_webhook.invalid.app_error', 'Invalid webhook.'))).toEqual({
      scope: 'rest',
      outcome: { kind: 'retry', reason: 'Mattermost answered 400 web.incoming_webhook.invalid.app_error (Invalid webhook.): no such webhook (deleted, a mistyped URL, or the server could not look it up); check mattermost.webhookurl', auth: true },
    });
  });

  it('webhooks disabled, the webhook\'s user deactivated, no permission: held, the alerts wait for an admin', () => {
    for (const [status, id] of [[501, 'web.incoming_webhook.disabled.app_error'], [403, 'web.incoming_webhook.user.app_error'], [403, 'web.incoming_webhook.permissions.app_error']] as const) {
      expect(classify(appError(status, id))).toMatchObject({ scope: 'rest', outcome: { kind: 'retry', auth: true } });
    }
  });

  it('a message Mattermost cannot take is dead-lettered alone', () => {
    expect(classify(appError(400, 'web.incoming_webhook.text.app_error', 'No text specified'))).toEqual({
      scope: 'message',
      outcome: { kind: 'fail', reason: 'Mattermost answered 400 web.incoming_webhook.text.app_error (No text specified): Mattermost refused this message' },
    });
  });

  it('429 (the server\'s rate limit) waits its Retry-After; 5xx backs off; both stop the batch', () => {
    expect(classify({ status: 429, text: 'limit exceeded\n', headers: { 'retry-after': '2' } })).toEqual({ scope: 'rest', outcome: { kind: 'retry', reason: 'HTTP 429: limit exceeded', afterMs: 2000 } });
    expect(classify(appError(500, 'app.post.create_post.app_error'))).toMatchObject({ scope: 'rest', outcome: { kind: 'retry' } });
  });

  it('an unknown 404 means the webhook is gone; an unknown 403 is refused access', () => {
    expect(classify({ status: 404, text: '<html>404</html>', headers: {} })).toMatchObject({ scope: 'rest', outcome: { kind: 'fail', reason: expect.stringContaining('set a working mattermost.webhookurl') } });
    expect(classify({ status: 403, text: '', headers: {} })).toEqual({ scope: 'rest', outcome: { kind: 'retry', reason: 'Mattermost answered 403: access refused; check mattermost.webhookurl', auth: true } });
  });
});
