// kafkarest's keys as falcosidekick 2.34.1 spells them, from env vars.
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../test/support/config.ts';
import kafkarest from './index.ts';

describe('kafkarest options', () => {
  it('loads KAFKAREST_ADDRESS, KAFKAREST_VERSION, _MINIMUMPRIORITY, _CHECKCERT, _MAXCONCURRENTREQUESTS', () => {
    const { config } = configFromEnv({ KAFKAREST_ADDRESS: 'https://kafka-rest:8082/topics/falco', KAFKAREST_VERSION: '1', KAFKAREST_MINIMUMPRIORITY: 'notice', KAFKAREST_CHECKCERT: 'false', KAFKAREST_MAXCONCURRENTREQUESTS: '3' });
    expect(config).toMatchObject({ kafkarest: { address: 'https://kafka-rest:8082/topics/falco', version: 1, minimumpriority: 'notice', checkcert: false, maxconcurrentrequests: 3 } });
  });

  it("is on only with an address; version defaults to falcosidekick's 2", () => {
    const empty = kafkarest.schema.parse({});
    expect(empty).toMatchObject({ address: '', version: 2 });
    expect(kafkarest.enabled(empty)).toBe(false);
    expect(kafkarest.enabled(kafkarest.schema.parse({ address: 'http://kafka-rest:8082/topics/falco' }))).toBe(true);
  });
});
