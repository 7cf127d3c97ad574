// falcosidekick's nats output: each alert's JSON published (NATS core) to a subject made from its
// priority and rule (subjecttemplate). The alerts of a batch are published on one connection, then
// flushed: the server's PONG to the flush's PING says it has read them all. NATS core keeps no
// message: a subject nobody subscribes to drops them, and so does a subscriber too slow to keep up.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { defineOutput, fail, loadTls, notOwn, ok, partial, raceSignal, retry, serializeAlert, type Outcome } from '../../src/plugin/index.ts';
import { NatsLink } from './link.ts';
import { natsSchema, parseServers } from './options.ts';
import { subjectOf } from './subject.ts';
import { classifyNatsError } from './classify.ts';

export default defineOutput({
  name: 'nats',
  description: 'Publish each alert\'s JSON to a NATS subject made from its priority and rule (NATS core; flushed after each batch).',
  schema: natsSchema,
  example: { hostport: 'nats://nats:4222' },
  enabled: (options) => options.hostport !== '',
  batch: { maxevents: 500, maxbytes: 1_000_000, flushms: 100 },
  concurrency: 1,
  async connect(options, ctx): Promise<NatsLink> {
    // Loaded here, not at import: a daemon without NATS never pays for nats.js.
    const { connect } = await import('@nats-io/transport-node');
    const servers = parseServers(options.hostport);
    const tls = servers.some((s) => s.tls) || options.mutualtls ? { ...loadTls(options, ctx.tls) } : undefined;
    return new NatsLink(connect, { servers, tls, connectTimeoutMs: ctx.timeoutMs });
  },
  async healthcheck({ client, options, signal }) {
    try {
      const nc = await client.open(signal);
      await raceSignal(nc.flush(), signal);
      return { ok: true };
    } catch (err) {
      const outcome = classifyNatsError(err, options.hostport);
      return { ok: false, message: outcome.kind === 'retry' ? outcome.reason : String(err) };
    }
  },
  async sendBatch(alerts, { client, options, signal }) {
    let nc;
    try {
      nc = await client.open(signal);
    } catch (err) {
      return classifyNatsError(err, options.hostport);
    }
    client.takeRefused(); // refusals of earlier sends are theirs
    const subjects = alerts.map((alert) => subjectOf(options.subjecttemplate, alert));
    const outcomes: (Outcome | undefined)[] = [];
    for (const [i, alert] of alerts.entries()) {
      try {
        nc.publish(subjects[i] as string, serializeAlert(alert));
        outcomes.push(undefined);
      } catch (err) {
        const e = err as Error;
        if (/max_payload/.test(e.message)) {
          outcomes.push(fail(`the alert is larger than the server's max_payload (${nc.info?.max_payload ?? '?'} bytes): ${e.message}`));
        } else if (e.name === 'InvalidSubjectError') {
          outcomes.push(fail(`subject "${subjects[i]}" is not a NATS subject: check nats.subjecttemplate`));
        } else {
          // The connection closed under the batch: this alert and the rest wait for the next one.
          const rest = classifyNatsError(err, options.hostport);
          const shared = notOwn(rest.kind === 'retry' ? rest.reason : e.message);
          while (outcomes.length < alerts.length) outcomes.push(shared);
        }
      }
      if (outcomes.length === alerts.length) break;
    }
    try {
      // The PONG to this PING comes after the server has read every publish before it.
      await raceSignal(nc.flush(), signal);
    } catch (err) {
      client.drop();
      const why = signal.aborted ? `no answer to the flush within the deadline from ${options.hostport}; the server may have taken the alerts, so a duplicate is possible` : classifyNatsError(err, options.hostport);
      return typeof why === 'string' ? retry(why) : why;
    }
    // The server's refusals arrive before its PONG, as status events: let them be read first.
    await nextTurn();
    const refused = client.takeRefused();
    if (refused.length > 0) {
      const bySubject = new Map(refused.map((r) => [r.subject, retry(`${r.message} (the NATS user may not publish to ${r.subject}: grant it or change nats.subjecttemplate)`, { auth: true })]));
      for (const [i, subject] of subjects.entries()) {
        const denied = bySubject.get(subject);
        if (denied && outcomes[i] === undefined) outcomes[i] = denied;
      }
    }
    if (outcomes.every((o) => o === undefined)) return ok();
    return partial(outcomes.map((o) => o ?? ok()));
  },
  close(client) {
    client.close();
  },
});
