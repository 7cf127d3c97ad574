// Smoke test of the Splunk HEC test receiver (OpenTelemetry Collector, see test/infra/splunk/state.ts).
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSplunkEvents, type SplunkInfra, waitForSplunkEvents } from '../../infra/splunk/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

describe.skipIf(infraSkipped('splunk'))('infra: splunk HEC receiver', () => {
  let hec: SplunkInfra;

  beforeAll(async () => {
    hec = await useInfra<SplunkInfra>('splunk');
  });

  const post = async (base: string, body: string, headers: Record<string, string>) => {
    const res = await request(`${base}/services/collector/event`, { method: 'POST', body, headers });
    return { status: res.statusCode, text: await res.body.text() };
  };

  it('state file has the documented shape', () => {
    expect(hec).toEqual({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      token: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ackUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      eventsFile: expect.any(String),
      log: expect.any(String),
    });
  });

  it('health endpoint answers', async () => {
    const res = await request(`${hec.url}/services/collector/health`, { headers: { authorization: `Splunk ${hec.token}` } });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ text: 'HEC is healthy', code: 17 });
  });

  it('an event with the right token arrives in the events file with its metadata and fields', async () => {
    const marker = crypto.randomUUID();
    const envelope = (n: number) => ({
      time: 1_700_000_000.5 + n,
      host: 'node-1',
      source: 'falco',
      sourcetype: '_json',
      index: 'falco',
      event: {
        uuid: `${marker}-${n}`,
        rule: 'Terminal shell in container',
        priority: 'Notice',
        output_fields: { 'container.id': '1f0a2e5c8d3b', 'proc.aname[2]': null, 'evt.num': 42 },
        tags: ['container', 'shell'],
      },
      fields: { environment: 'production', cluster_name: 'us-east-1-prod' },
    });
    // Two concatenated envelopes in one body, as Splunk HEC allows.
    const body = JSON.stringify(envelope(0)) + JSON.stringify(envelope(1));
    const res = await post(hec.url, body, { authorization: `Splunk ${hec.token}`, 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ text: 'Success', code: 0 });

    const got = await waitForSplunkEvents(hec, (e) => String((e.event as { uuid?: string })?.uuid).startsWith(marker), { count: 2 });
    expect(got).toHaveLength(2);
    expect(got[0]).toEqual({
      event: envelope(0).event,
      time: 1_700_000_000.5,
      timeUnixNano: '1700000000500000000',
      host: 'node-1',
      source: 'falco',
      sourcetype: '_json',
      index: 'falco',
      fields: { environment: 'production', cluster_name: 'us-east-1-prod' },
    });
    expect(got[1]?.time).toBe(1_700_000_001.5);
  });

  it('a wrong or missing token gets 401 and nothing is written', async () => {
    const marker = crypto.randomUUID();
    const body = JSON.stringify({ event: { uuid: marker } });
    expect((await post(hec.url, body, { authorization: 'Splunk 00000000-0000-0000-0000-000000000000' })).status).toBe(401);
    expect((await post(hec.url, body, { authorization: `Bearer ${hec.token}` })).status).toBe(401);
    expect((await post(hec.url, body, {})).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300)); // > one exporter flush interval
    expect(readSplunkEvents(hec).filter((e) => (e.event as { uuid?: string })?.uuid === marker)).toEqual([]);
  });

  it('invalid events get Splunk error codes', async () => {
    const auth = { authorization: `Splunk ${hec.token}` };
    expect(await post(hec.url, '{"host":"x"}', auth)).toEqual({ status: 400, text: '{"text":"Event field is required","code":12}' });
    expect(await post(hec.url, '{"event":""}', auth)).toEqual({ status: 400, text: '{"text":"Event field cannot be blank","code":13}' });
    expect(await post(hec.url, '{"event":', auth)).toEqual({ status: 400, text: '{"text":"Invalid data format","code":6}' });
  });

  it('the ack listener returns an ackId for a channel and acknowledges it', async () => {
    const channel = crypto.randomUUID();
    const marker = crypto.randomUUID();
    const headers = { authorization: `Splunk ${hec.token}`, 'x-splunk-request-channel': channel };
    const res = await post(hec.ackUrl, JSON.stringify({ event: { uuid: marker } }), headers);
    expect(res.status).toBe(200);
    const { ackId } = JSON.parse(res.text) as { ackId: number };
    expect(typeof ackId).toBe('number');

    const ack = await request(`${hec.ackUrl}/services/collector/ack`, { method: 'POST', headers, body: JSON.stringify({ acks: [ackId] }) });
    expect(ack.statusCode).toBe(200);
    expect(await ack.body.json()).toEqual({ acks: { [String(ackId)]: true } });
    await waitForSplunkEvents(hec, (e) => (e.event as { uuid?: string })?.uuid === marker);
  });
});
