// sendBatch over a scripted connection: publishes in batch order then one flush; an alert over
// max_payload dead-lettered alone; the server's refusal of a subject (reported before the flush's
// PONG) retried as refused credentials for that subject's alerts only; a connection closed under the
// batch: one shared retry for what was not published, the connection dropped.
import { describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { sendContext } from '../../test/support/plugin-context.ts';
import nats from './index.ts';
import type { NatsLink } from './link.ts';

const alertOf = (i: number, priority: 'Notice' | 'Critical' = 'Notice') => toAlert(parseJson(falcoAlertJson(i, priority)) as AlertInput);
const options = nats.schema.parse({ hostport: 'nats://falco:pw@nats:4222' });

function scripted(script: { tooLarge?: number; closeAt?: number; refuse?: string } = {}) {
  const published: [string, string][] = [];
  const refused: { subject: string; message: string }[] = [];
  const nc = {
    info: { max_payload: 1024 },
    publish(subject: string, payload: string) {
      const i = Number(/"uuid":"alert-(\d+)"/.exec(payload)?.[1]);
      if (i === script.closeAt) throw Object.assign(new Error('closed connection'), { name: 'ClosedConnectionError' });
      if (i === script.tooLarge) throw new Error("'payload' max_payload size exceeded");
      published.push([subject, payload]);
      if (subject === script.refuse) refused.push({ subject, message: `Permissions Violation for Publish to "${subject}"` });
    },
    flush: () => Promise.resolve(),
  };
  const link = {
    open: async () => nc,
    drop: () => {},
    takeRefused: () => refused.splice(0),
  } as unknown as NatsLink;
  return { link, published };
}

describe('nats sendBatch', () => {
  it('every alert published in order on its subject, then delivered', async () => {
    const { link, published } = scripted();
    const alerts = [alertOf(0), alertOf(1, 'Critical')];
    expect(await nats.sendBatch(alerts, sendContext(options, link))).toEqual({ kind: 'ok' });
    expect(published.map(([s, p]) => [s, /"uuid":"([^"]+)"/.exec(p)?.[1]])).toEqual([
      ['falco.notice.terminal_shell_in_container', 'alert-0'],
      ['falco.critical.terminal_shell_in_container', 'alert-1'],
    ]);
  });

  it('an alert over max_payload is dead-lettered; the others delivered', async () => {
    const { link } = scripted({ tooLarge: 1 });
    const result = await nats.sendBatch([alertOf(0), alertOf(1), alertOf(2)], sendContext(options, link));
    expect(result).toEqual({
      kind: 'partial',
      items: [{ kind: 'ok' }, { kind: 'fail', reason: "the alert is larger than the server's max_payload (1024 bytes): 'payload' max_payload size exceeded" }, { kind: 'ok' }],
    });
  });

  it('a refused subject: its alerts retried as refused credentials (one shared outcome), the others delivered', async () => {
    const { link } = scripted({ refuse: 'falco.critical.terminal_shell_in_container' });
    const result = await nats.sendBatch([alertOf(0, 'Critical'), alertOf(1), alertOf(2, 'Critical')], sendContext(options, link));
    const denied = {
      kind: 'retry',
      auth: true,
      reason: 'Permissions Violation for Publish to "falco.critical.terminal_shell_in_container" (the NATS user may not publish to falco.critical.terminal_shell_in_container: grant it or change nats.subjecttemplate)',
    };
    expect(result).toEqual({ kind: 'partial', items: [denied, { kind: 'ok' }, denied] });
    expect(result.kind === 'partial' && result.items[0] === result.items[2]).toBe(true);
  });

  it('the connection closed under the batch: what was not published shares one retry; the password never in it', async () => {
    const { link } = scripted({ closeAt: 1 });
    const result = await nats.sendBatch([alertOf(0), alertOf(1), alertOf(2)], sendContext(options, link));
    const lost = { kind: 'retry', notOwn: true, reason: 'nats://nats:4222: closed connection' };
    expect(result).toEqual({ kind: 'partial', items: [{ kind: 'ok' }, lost, lost] });
  });
});
