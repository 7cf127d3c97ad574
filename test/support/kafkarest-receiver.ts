// Confluent REST Proxy, v2 API, producing binary records (API reference "POST
// /topics/(string:topic_name)"; kafka-rest's Errors and KafkaExceptionMapper): Content-Type
// application/vnd.kafka.binary.v2+json (or .v1+json), body {"records":[{"value":<base64>, "key"?,
// "partition"?}]}, at least one record. Answers: 200 (application/vnd.kafka.v2+json)
// {"key_schema_id":null,"value_schema_id":null,"offsets":[{"partition","offset","error_code":null,
// "error":null}…]}, one offset per record, error_code 50003 (retriable) / 50002 (another Kafka error)
// for a record not produced (1/2 from v1 proxies); errors as
// {"error_code","message"}: 404/40401 topic not found, 415 unsupported media type, 422/42206
// a value that is not base64, 40101, 40301, 42901, 50002, 50003, 50302.
import { SaasReceiver, type Answer, type Fault, type VendorSpec } from './saas-receiver.ts';
import type { Received } from './receiver.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MEDIA = /^application\/vnd\.kafka\.binary\.v[12]\+json$/;

interface Produce {
  records?: { value?: unknown; key?: unknown; partition?: unknown }[];
}

export interface KafkaRestProxy {
  receiver: SaasReceiver;
  /** Topics that exist (others get 40401). */
  topics: Set<string>;
  /** Each produced record's value, decoded, per topic, in order. */
  produced: Map<string, string[]>;
  /** The record error to answer for a value (decoded), or undefined to produce it. */
  recordError?: (value: string) => { code: 1 | 2 | 50002 | 50003; error: string } | undefined;
}

const error = (status: number, code: number, message: string): Answer => ({ status, body: { error_code: code, message } });

function proxySpec(proxy: Omit<KafkaRestProxy, 'receiver'>): VendorSpec {
  const topicOf = (req: Received) => /^\/topics\/([A-Za-z0-9._-]+)$/.exec(req.url)?.[1];
  const spec: VendorSpec = {
    validate(req) {
      if (req.method !== 'POST' || topicOf(req) === undefined) return [`${req.method} ${req.url} is not POST /topics/<topic>`];
      const type = String(req.headers['content-type'] ?? '');
      if (!MEDIA.test(type)) return [`Content-Type ${type} is not the binary embedded format`];
      let body: Produce;
      try {
        body = JSON.parse(req.body) as Produce;
      } catch {
        return ['the body is not JSON'];
      }
      const problems: string[] = [];
      if (!Array.isArray(body.records) || body.records.length === 0) return ['records: at least one record'];
      body.records.forEach((r, i) => {
        for (const k of Object.keys(r)) if (!['value', 'key', 'partition'].includes(k)) problems.push(`records[${i}].${k} is not a record field`);
        if (typeof r.value !== 'string' || !BASE64.test(r.value)) problems.push(`records[${i}].value is not base64`);
      });
      return problems;
    },
    accept(req) {
      const topic = topicOf(req) as string;
      if (!proxy.topics.has(topic)) return error(404, 40401, 'Topic not found.');
      const records = (JSON.parse(req.body) as Produce).records ?? [];
      const produced = proxy.produced.get(topic) ?? [];
      proxy.produced.set(topic, produced);
      const offsets = records.map((r) => {
        const value = Buffer.from(r.value as string, 'base64').toString('utf8');
        const failed = proxy.recordError?.(value);
        if (failed) return { partition: null, offset: null, error_code: failed.code, error: failed.error };
        produced.push(value);
        return { partition: 0, offset: produced.length - 1, error_code: null, error: null };
      });
      return { status: 200, headers: { 'content-type': 'application/vnd.kafka.v2+json' }, body: { key_schema_id: null, value_schema_id: null, offsets } };
    },
    reject(problems) {
      if (problems.some((p) => p.startsWith('Content-Type'))) return error(415, 415, 'HTTP 415 Unsupported Media Type');
      if (problems.some((p) => p.includes('not base64'))) return error(422, 42206, problems.join('; '));
      return error(400, 400, problems.join('; '));
    },
    fault(fault: Fault): Answer {
      switch (fault.kind) {
        case 'throttle':
          return { ...error(429, 42901, 'Request rate limit exceeded'), headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {} };
        case 'unavailable':
          return fault.status === 503 ? error(503, 50302, 'Broker not available') : error(fault.status ?? 500, 50003, 'Retriable Kafka exception');
        case 'invalid':
          return error(422, 42206, (fault.errors ?? ['invalid']).join('; '));
        case 'status':
          return fault.status === 401 ? error(401, 40101, 'Authentication failed') : fault.status === 403 ? error(403, 40301, 'Not authorized to access topics: [falco]') : error(fault.status, fault.status, `HTTP ${fault.status} ${fault.status === 404 ? 'Not Found' : 'Refused'}`);
      }
    },
  };
  return spec;
}

/** A REST Proxy with these topics; `now`: the clock of the requests' `clockAt`. */
export async function startKafkaRestProxy(topics: string[], now?: () => number): Promise<KafkaRestProxy> {
  const proxy: Omit<KafkaRestProxy, 'receiver'> = { topics: new Set(topics), produced: new Map() };
  const receiver = await new SaasReceiver(proxySpec(proxy), now).start();
  return Object.assign(proxy, { receiver });
}
