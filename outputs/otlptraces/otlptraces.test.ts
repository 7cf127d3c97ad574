// The otlptraces plugin: falcosidekick's trace id (and where it finds none), the span built from an
// alert, the request it sends, and the answers it classifies (against an in-process OTLP stand-in).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { thawAlert } from '../../src/alert/serialize.ts';
import { falcoAlertJson, FIXTURE_TIME_NS } from '../../test/support/alerts.ts';
import { againstReceiver } from '../../test/support/plugin-harness.ts';
import { ProtoWriter } from '../otlp/protobuf-writer.ts';
import otlptraces from './index.ts';
import { spanOf } from './span.ts';
import { fnv128a, spanId, traceKey } from './trace-id.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const alert = (fields: Record<string, unknown>, hostname = 'node-1') => {
  const base = JSON.parse(falcoAlertJson(0)) as { output_fields: Record<string, unknown> };
  return thawAlert(JSON.stringify({ ...base, hostname, output_fields: fields }));
};

describe('trace id (falcosidekick generateTraceID)', () => {
  it('is FNV-1a 128 of the chosen text, as Go\'s hash/fnv writes it', () => {
    // The trace id falcosidekick 2.34.1 exported for the fixture alert's pod (captured from its run).
    expect(hex(fnv128a('default:web-7d9'))).toBe('574d3c7e36b1bc67ce2769b2ac7a76cd');
    expect(hex(fnv128a(''))).toBe('6c62272e07bb014262b821756295c58d'); // the offset basis
  });

  it.each([
    ['namespace and pod', { 'k8s.ns.name': 'prod', 'k8s.pod.name': 'api-1', 'container.id': 'c1', 'evt.hostname': 'h' }, 'prod:api-1'],
    ['the container without a pod', { 'k8s.ns.name': 'prod', 'container.id': 'c1', 'evt.hostname': 'h' }, 'c1'],
    ['evt.hostname for the host ("host" is no container)', { 'container.id': 'host', 'evt.hostname': 'h' }, 'h'],
    ['the alert\'s hostname where falcosidekick sends nothing', { 'container.id': 'host' }, 'node-1'],
  ])('%s', (_name, fields, key) => {
    expect(traceKey(alert(fields))).toBe(key);
  });

  it('the uuid when there is not even a hostname', () => {
    const a = alert({}, '');
    expect(traceKey(a)).toBe(a.uuid);
  });

  it('the span id comes from the uuid: a retry sends the same span', () => {
    const a = alert({});
    expect(hex(spanId(a))).toBe(createHash('sha256').update(a.uuid).digest('hex').slice(0, 16));
  });
});

describe('span', () => {
  it('starts at the alert\'s time and lasts `duration` ms; falcosidekick\'s attributes first, then the fields typed', () => {
    const a = thawAlert(falcoAlertJson(3, 'Critical'));
    const span = spanOf(a, 1500);
    expect(span.startNs).toBe(FIXTURE_TIME_NS);
    expect(span.endNs).toBe(FIXTURE_TIME_NS + 1_500_000_000n);
    expect(span.name).toBe('Terminal shell in container');
    expect(span.event).toBe(a.output);
    expect(span.attributes.slice(0, 6).map((kv) => kv.key)).toEqual(['uuid', 'source', 'priority', 'rule', 'hostname', 'tags']);
    expect(span.attributes.find((kv) => kv.key === 'evt.time')?.value).toEqual({ kind: 'int', value: '1700000000167531878' });
  });

  it('tags is an array even when empty (as the Go SDK sends a nil slice)', () => {
    const base = JSON.parse(falcoAlertJson(0)) as object;
    const span = spanOf(thawAlert(JSON.stringify({ ...base, tags: [] })), 1000);
    expect(span.attributes.find((kv) => kv.key === 'tags')?.value).toEqual({ kind: 'array', values: [] });
  });
});

const alerts = [thawAlert(falcoAlertJson(0)), thawAlert(falcoAlertJson(1, 'Critical'))];
const stand = againstReceiver(otlptraces, (r, traces) => ({ endpoint: `http://127.0.0.1:${r.port}`, protocol: 'http/json', ...traces }));

/** An ExportTraceServiceResponse as a string the stand-in can send (all bytes < 0x80). */
function partialSuccess(rejected: number, message: string): string {
  const w = new ProtoWriter(64);
  const p = w.begin(1);
  w.tag(1, 0);
  w.uint32(rejected);
  w.tag(2, 2);
  w.string(message);
  w.end(p);
  return Buffer.from(w.finish()).toString('latin1');
}

describe('otlptraces requests and answers', () => {
  it('POSTs the batch to /v1/traces on a bare endpoint, with the headers and the protocol\'s content type', async () => {
    expect(await stand.answer({ kind: 'ok', body: '{"partialSuccess":{}}' }, alerts, { headers: 'api-key=k%3D1' })).toEqual({ kind: 'ok' });
    const [req] = stand.state.receiver?.received ?? [];
    expect(req?.url).toBe('/v1/traces');
    expect(req?.headers).toMatchObject({ 'content-type': 'application/json', 'api-key': 'k=1' });
    const body = JSON.parse(req?.body ?? '') as { resourceSpans: { scopeSpans: { spans: { name: string; kind: number; traceId: string }[] }[] }[] };
    expect(body.resourceSpans[0]?.scopeSpans[0]?.spans.map((s) => [s.name, s.kind, s.traceId])).toEqual([
      ['Terminal shell in container', 2, '574d3c7e36b1bc67ce2769b2ac7a76cd'],
      ['Terminal shell in container', 2, '574d3c7e36b1bc67ce2769b2ac7a76cd'],
    ]);
  });

  it('a partial success (rejectedSpans, JSON) dead-letters the whole batch with the count and message', async () => {
    const result = await stand.answer({ kind: 'ok', body: '{"partialSuccess":{"rejectedSpans":"1","errorMessage":"span 2 too large"}}' }, alerts);
    expect(result).toMatchObject({ kind: 'fail', whole: true });
    expect((result as { reason: string }).reason).toBe('the OTLP receiver rejected 1 of the 2 spans of this batch without saying which: span 2 too large (the whole batch is dead-lettered; the rest was accepted)');
  });

  it('a partial success in protobuf is read too', async () => {
    const result = await stand.answer({ kind: 'ok', body: partialSuccess(2, 'quota') }, alerts, { protocol: 'http/protobuf' });
    expect((result as { reason: string }).reason).toMatch(/^the OTLP receiver rejected 2 of the 2 spans/);
  });

  it.each([
    [401, { kind: 'retry', auth: true }, /check otlp\.traces\.headers/],
    [503, { kind: 'retry' }, /^HTTP 503/],
    [413, { kind: 'fail' }, /lower otlp\.traces\.batch\.maxbytes/],
  ])('HTTP %i', async (status, outcome, reason) => {
    const result = await stand.answer({ kind: 'status', status, body: '{"code":3,"message":"nope"}' }, alerts);
    expect(result).toMatchObject(outcome);
    expect((result as { reason: string }).reason).toMatch(reason);
  });
});
