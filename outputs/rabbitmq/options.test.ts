// rabbitmq's keys as falcosidekick 2.34.1 spells them: `queue: <name>` (file or RABBITMQ_QUEUE) is the
// queue's name, while a `queue:` mapping stays the core's queue bounds; the URL (it carries the
// password) redacted; a URL without a queue refused at startup.
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv, configFromYaml, envProblems } from '../../test/support/config.ts';

const URL = 'amqp://falco:S3cretPass@rabbitmq:5672/';

describe('rabbitmq options', () => {
  it('reads RABBITMQ_URL and RABBITMQ_QUEUE as falcosidekick names them', () => {
    const { config, envApplied: applied } = configFromEnv({ RABBITMQ_URL: URL, RABBITMQ_QUEUE: 'falco', RABBITMQ_MINIMUMPRIORITY: 'error' });
    expect(config).toMatchObject({ rabbitmq: { url: URL, queuename: 'falco', minimumpriority: 'error', queue: { maxalerts: 100_000 } } });
    expect(applied).toEqual(expect.arrayContaining(['RABBITMQ_URL', 'RABBITMQ_QUEUE']));
  });

  it('reads `queue: <name>` in the file as the queue name, and a `queue:` mapping as the core queue bounds', () => {
    const named = configFromYaml(`rabbitmq:\n  url: ${URL}\n  Queue: falco\n`).config as unknown as { rabbitmq: { queuename: string; queue: { maxalerts: number } } };
    expect(named.rabbitmq.queuename).toBe('falco');
    expect(named.rabbitmq.queue.maxalerts).toBe(100_000);
    const bounds = configFromYaml(`rabbitmq:\n  url: ${URL}\n  queuename: falco\n  queue:\n    maxalerts: 500\n`).config as unknown as typeof named;
    expect(bounds.rabbitmq).toMatchObject({ queuename: 'falco', queue: { maxalerts: 500 } });
  });

  it('RABBITMQ_QUEUE wins over the file, as every env var does; queuename set beside queue wins over it', () => {
    const fromEnv = configFromYaml(`rabbitmq:\n  url: ${URL}\n  queue: file-queue\n`, { RABBITMQ_QUEUE: 'env-queue' }).config as unknown as { rabbitmq: { queuename: string } };
    expect(fromEnv.rabbitmq.queuename).toBe('env-queue');
    const both = configFromYaml(`rabbitmq:\n  url: ${URL}\n  queue: theirs\n  queuename: ours\n`).config as unknown as typeof fromEnv;
    expect(both.rabbitmq.queuename).toBe('ours');
  });

  it('reads `queue: <name>` in a named instance of type rabbitmq too', () => {
    const { config } = configFromYaml(`outputs:\n  soc-bus:\n    type: rabbitmq\n    url: ${URL}\n    queue: soc\n`);
    expect((config as unknown as { outputs: Record<string, { queuename: string }> }).outputs['soc-bus']?.queuename).toBe('soc');
  });

  it('refuses a URL without a queue, and a URL that is not amqp(s)', () => {
    expect(envProblems({ RABBITMQ_URL: URL })).toEqual([
      "rabbitmq.queuename: is required when url is set (the queue the alerts are published to; falcosidekick's rabbitmq.queue: <name> sets it)",
    ]);
    expect(envProblems({ RABBITMQ_URL: 'http://rabbitmq:15672/', RABBITMQ_QUEUE: 'falco' })).toEqual([
      'rabbitmq.url: must be an amqp:// or amqps:// URL such as amqp://user:password@rabbitmq:5672/vhost',
    ]);
  });

  it('redacts the URL (it carries the password)', () => {
    const loaded = configFromEnv({ RABBITMQ_URL: URL, RABBITMQ_QUEUE: 'falco' });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('S3cretPass');
    expect(shown).toContain('"queuename":"falco"');
  });
});
