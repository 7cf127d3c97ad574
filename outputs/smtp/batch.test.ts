// SMTP sends one mail per alert and, like PagerDuty, Opsgenie and Slack, stops the batch at the first
// retry: a refused login tried once per alert of the batch (20 by default), on every retry, is what
// gets a sender locked out.
import { describe, expect, it } from 'vitest';
import smtp from './index.ts';
import { outputSchema } from '../../src/config/schema.ts';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { connectContext } from '../../test/support/plugin-context.ts';

describe('smtp: a batch after a refused login', () => {
  it('stops after the first refused AUTH: one attempt, not one per alert', async () => {
    let attempts = 0;
    const transport = {
      sendMail: async () => {
        attempts++;
        throw Object.assign(new Error('Invalid login: 535 5.7.8 Authentication credentials invalid'), { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' });
      },
      close() {},
    };
    const options = outputSchema(smtp).parse({ hostport: 'smtp.example.com:587', from: 'a@example.com', to: 'b@example.com', user: 'u', password: 'p' });
    const ctx = connectContext('smtp', {});
    const alerts = Array.from({ length: 20 }, (_, i) => freezeAlert(toAlert(parseJson(falcoAlertJson(i)) as AlertInput)));
    const result = await smtp.sendBatch(alerts, { options: options as never, client: { transport, to: ['b@example.com'] } as never, signal: new AbortController().signal, log: ctx.log, clock: ctx.clock });
    expect(result.kind === 'partial' ? result.items[0]?.kind : result.kind).toBe('retry');
    expect(attempts).toBe(1);
  });
});
