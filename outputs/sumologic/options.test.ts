// sumologic's keys as falcosidekick 2.34.1 spells them, from env vars; the receiver URL (it carries
// the source's token) redacted; header values checked at startup.
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import sumologic from './index.ts';

const URL = 'https://endpoint4.collection.sumologic.com/receiver/v1/http/T0kenOfTheSource';

describe('sumologic options', () => {
  it('loads SUMOLOGIC_RECEIVERURL, _SOURCECATEGORY, _SOURCEHOST, _NAME, _MINIMUMPRIORITY, _CHECKCERT, _MAXCONCURRENTREQUESTS', () => {
    const { config } = configFromEnv({
      SUMOLOGIC_RECEIVERURL: URL,
      SUMOLOGIC_SOURCECATEGORY: 'security/falco',
      SUMOLOGIC_SOURCEHOST: 'cluster-1',
      SUMOLOGIC_NAME: 'falco',
      SUMOLOGIC_MINIMUMPRIORITY: 'warning',
      SUMOLOGIC_CHECKCERT: 'false',
      SUMOLOGIC_MAXCONCURRENTREQUESTS: '1',
    });
    expect(config).toMatchObject({ sumologic: { receiverurl: URL, sourcecategory: 'security/falco', sourcehost: 'cluster-1', name: 'falco', minimumpriority: 'warning', checkcert: false, maxconcurrentrequests: 1 } });
  });

  it('is on only with a receiver URL; the header keys default to "" (not sent)', () => {
    const empty = sumologic.schema.parse({});
    expect(empty).toMatchObject({ receiverurl: '', sourcecategory: '', sourcehost: '', name: '' });
    expect(sumologic.enabled(empty)).toBe(false);
    expect(sumologic.enabled(sumologic.schema.parse({ receiverurl: URL }))).toBe(true);
  });

  it('redacts the receiver URL', () => {
    const loaded = configFromEnv({ SUMOLOGIC_RECEIVERURL: URL });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('T0kenOfTheSource');
    expect(shown).toContain('"receiverurl":"***"');
  });

  it('a header value with a line break is a startup problem naming the key', () => {
    expect(envProblems({ SUMOLOGIC_RECEIVERURL: URL, SUMOLOGIC_SOURCECATEGORY: 'a\nb' })).toEqual([expect.stringMatching(/^sumologic\.sourcecategory: has a character an HTTP header cannot carry/)]);
  });
});
