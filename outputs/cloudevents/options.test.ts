// cloudevents's keys as falcosidekick 2.34.1 spells them, from env vars.
import { describe, expect, it } from 'vitest';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import cloudevents from './index.ts';

const ADDRESS = 'http://broker-ingress.knative-eventing.svc.cluster.local/falco/default';

describe('cloudevents options', () => {
  it('loads CLOUDEVENTS_ADDRESS, CLOUDEVENTS_EXTENSIONS ("name:value,name:value"), _MINIMUMPRIORITY, _CHECKCERT, _MAXCONCURRENTREQUESTS', () => {
    const { config } = configFromEnv({ CLOUDEVENTS_ADDRESS: ADDRESS, CLOUDEVENTS_EXTENSIONS: 'env:prod,team:sec', CLOUDEVENTS_MINIMUMPRIORITY: 'error', CLOUDEVENTS_CHECKCERT: 'false', CLOUDEVENTS_MAXCONCURRENTREQUESTS: '2' });
    expect(config).toMatchObject({ cloudevents: { address: ADDRESS, extensions: { env: 'prod', team: 'sec' }, minimumpriority: 'error', checkcert: false, maxconcurrentrequests: 2 } });
  });

  it('is on only with an address', () => {
    const empty = cloudevents.schema.parse({});
    expect(empty).toMatchObject({ address: '', extensions: {} });
    expect(cloudevents.enabled(empty)).toBe(false);
    expect(cloudevents.enabled(cloudevents.schema.parse({ address: ADDRESS }))).toBe(true);
  });

  it('an extension name the SDK refuses is a startup problem naming it (falcosidekick then sends nothing at all)', () => {
    expect(envProblems({ CLOUDEVENTS_ADDRESS: ADDRESS, CLOUDEVENTS_EXTENSIONS: 'Bad_Name:v2,time:now' })).toEqual([
      expect.stringMatching(/^cloudevents\.extensions\.Bad_Name: is not a CloudEvents attribute name/),
      expect.stringMatching(/^cloudevents\.extensions\.time: is a CloudEvents context attribute/),
    ]);
  });

  it("takes the chart's spelling cloudevents.extension (\"\" there is none; set, it adds to extensions)", () => {
    expect(cloudevents.schema.parse({ address: ADDRESS, extension: '' })).toMatchObject({ extension: {}, extensions: {} });
    expect(configFromEnv({ CLOUDEVENTS_ADDRESS: ADDRESS, CLOUDEVENTS_EXTENSION: 'team:sec' }).config).toMatchObject({ cloudevents: { extension: { team: 'sec' } } });
  });
});
