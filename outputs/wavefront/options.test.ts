// wavefront's keys as falcosidekick 2.34.1 spells them, where they send, and the batch they imply.
import { describe, expect, it } from 'vitest';
import { deliverySettings } from '../../src/app.ts';
import type { OutputSection } from '../../src/config/schema.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import wavefront from './index.ts';
import { legacyBatch, reportUrl, wavefrontProblems } from './options.ts';

const parse = (section: Record<string, unknown>) => wavefront.schema.parse(section);

describe('wavefront options', () => {
  it("falcosidekick's defaults; on only with endpointtype and endpointhost", () => {
    const options = parse({});
    expect(options).toMatchObject({ endpointtype: '', endpointhost: '', endpointtoken: '', endpointmetricport: 2878, metricname: 'falco.alert', flushintervalseconds: 1, batchsize: 10000 });
    expect(wavefront.enabled(options)).toBe(false);
    expect(wavefront.enabled(parse({ endpointtype: 'proxy' }))).toBe(false);
    expect(wavefront.enabled(parse({ endpointhost: 'http://proxy' }))).toBe(false);
    expect(wavefront.enabled(parse({ endpointtype: 'proxy', endpointhost: 'http://proxy' }))).toBe(true);
  });

  it('loads WAVEFRONT_* env vars', () => {
    const { config } = configFromEnv({
      WAVEFRONT_ENDPOINTTYPE: 'direct',
      WAVEFRONT_ENDPOINTHOST: 'myinstance.wavefront.com',
      WAVEFRONT_ENDPOINTTOKEN: 'tok',
      WAVEFRONT_METRICNAME: 'sec.falco',
      WAVEFRONT_BATCHSIZE: '500',
      WAVEFRONT_FLUSHINTERVALSECONDS: '5',
      WAVEFRONT_ENDPOINTMETRICPORT: '2879',
      WAVEFRONT_MINIMUMPRIORITY: 'warning',
    });
    expect(config).toMatchObject({ wavefront: { endpointtype: 'direct', endpointhost: 'myinstance.wavefront.com', endpointtoken: 'tok', metricname: 'sec.falco', batchsize: 500, flushintervalseconds: 5, endpointmetricport: 2879, minimumpriority: 'warning' } });
  });

  it.each([
    [{ endpointtype: 'direct', endpointhost: 'myinstance.wavefront.com' }, 'https://myinstance.wavefront.com/report?f=wavefront'],
    [{ endpointtype: 'direct', endpointhost: 'myinstance.wavefront.com:8443/prefix/' }, 'https://myinstance.wavefront.com:8443/prefix/report?f=wavefront'],
    [{ endpointtype: 'direct', endpointhost: 'http://127.0.0.1:9000' }, 'http://127.0.0.1:9000/report?f=wavefront'],
    [{ endpointtype: 'proxy', endpointhost: 'http://wavefront-proxy' }, 'http://wavefront-proxy:2878/report?f=wavefront'],
    [{ endpointtype: 'proxy', endpointhost: 'wavefront-proxy', endpointmetricport: 2879 }, 'http://wavefront-proxy:2879/report?f=wavefront'],
    [{ endpointtype: 'proxy', endpointhost: 'https://wavefront-proxy:443' }, 'https://wavefront-proxy/report?f=wavefront'],
    [{ endpointtype: 'proxy', endpointhost: 'http://wavefront-proxy:3000', endpointmetricport: 2879 }, 'http://wavefront-proxy:3000/report?f=wavefront'],
  ])('%j posts to %s', (keys, url) => {
    expect(String(reportUrl(parse(keys)))).toBe(url);
  });

  it.each([
    [{ endpointtype: 'direct', endpointhost: 'h' }, ['endpointtoken']],
    [{ endpointtype: 'direct', endpointhost: 'h', endpointtoken: 't', metricname: '' }, ['metricname']],
    [{ endpointtype: 'proxy', endpointhost: 'h', metricname: 'm'.repeat(257) }, ['metricname']],
    [{ endpointtype: 'proxy', endpointhost: 'ftp://h' }, ['endpointhost']],
    [{ endpointtype: 'proxy', endpointhost: 'http://u:p@h' }, ['endpointhost']],
    [{ endpointtype: 'proxy', endpointhost: 'http://wavefront-proxy' }, []],
    [{ endpointtype: 'direct', endpointhost: 'h', endpointtoken: 't' }, []],
  ])('validate %j', (keys, paths) => {
    expect(wavefrontProblems(parse(keys)).map((p) => p.path)).toEqual(paths);
  });

  it('an endpointtype other than direct or proxy is a startup problem naming the key (falcosidekick logs it and sends nothing)', () => {
    expect(envProblems({ WAVEFRONT_ENDPOINTTYPE: 'agent', WAVEFRONT_ENDPOINTHOST: 'h' })).toEqual([expect.stringMatching(/^wavefront\.endpointtype: must be direct or proxy/)]);
  });

  it('batchsize and flushintervalseconds become batch.maxevents and batch.flushms (below 1: the SDK defaults)', () => {
    expect(legacyBatch(parse({ batchsize: 500, flushintervalseconds: 5 }))).toEqual({ batch: { maxevents: 500, flushms: 5000 } });
    expect(legacyBatch(parse({ batchsize: 0, flushintervalseconds: 0 }))).toEqual({ batch: { maxevents: 10000, flushms: 1000 } });
    const section = (env: NodeJS.ProcessEnv) => (configFromEnv(env).config as unknown as Record<string, OutputSection>).wavefront as OutputSection;
    const env = { WAVEFRONT_ENDPOINTTYPE: 'proxy', WAVEFRONT_ENDPOINTHOST: 'http://p', WAVEFRONT_BATCHSIZE: '50' };
    expect(deliverySettings(section(env), wavefront).batch).toMatchObject({ maxevents: 50, flushms: 1000 });
    expect(deliverySettings(section({ ...env, WAVEFRONT_BATCH_MAXEVENTS: '7' }), wavefront).batch).toMatchObject({ maxevents: 7 });
  });
});
