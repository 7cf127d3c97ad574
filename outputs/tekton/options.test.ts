// tekton's keys as falcosidekick 2.34.1 spells them (tekton.eventlistener, checkcert, mutualtls,
// maxconcurrentrequests), from env vars; on only with an eventlistener URL.
import { describe, expect, it } from 'vitest';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import tekton from './index.ts';

describe('tekton options', () => {
  it('loads TEKTON_EVENTLISTENER, TEKTON_CHECKCERT, TEKTON_MUTUALTLS, TEKTON_MAXCONCURRENTREQUESTS and TEKTON_MINIMUMPRIORITY into tekton.*', () => {
    const { config } = configFromEnv({
      TEKTON_EVENTLISTENER: 'https://el-falco-listener.tekton-pipelines:8443',
      TEKTON_CHECKCERT: 'false',
      TEKTON_MUTUALTLS: 'true',
      TEKTON_MAXCONCURRENTREQUESTS: '4',
      TEKTON_MINIMUMPRIORITY: 'critical',
    });
    expect(config).toMatchObject({
      tekton: { eventlistener: 'https://el-falco-listener.tekton-pipelines:8443', checkcert: false, mutualtls: true, maxconcurrentrequests: 4, minimumpriority: 'critical' },
    });
  });

  it('is on only with an eventlistener URL, as in falcosidekick; checkcert defaults to true, maxconcurrency to 8', () => {
    const empty = tekton.schema.parse({});
    expect(empty).toMatchObject({ eventlistener: '', checkcert: true, mutualtls: false });
    expect(tekton.enabled(empty)).toBe(false);
    expect(tekton.enabled(tekton.schema.parse({ eventlistener: 'http://el-falco-listener:8080' }))).toBe(true);
    expect(tekton.concurrency).toBe(8);
    expect(tekton.legacySettings?.(tekton.schema.parse({ eventlistener: 'http://el:8080', maxconcurrentrequests: 0 }))).toEqual({ maxconcurrency: expect.any(Number) });
  });

  it('an eventlistener that is not an http(s) URL: a startup problem naming the key', () => {
    expect(envProblems({ TEKTON_EVENTLISTENER: 'el-falco-listener:8080' })).toEqual([expect.stringMatching(/^tekton\.eventlistener: /)]);
  });
});
