// The REST Proxy's documented answers to a produce request → outcomes.
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/plugin/index.ts';
import { classifyProduce } from './classify.ts';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const res = (status: number, body: unknown = '', headers: Record<string, string> = {}): HttpResponse => ({ status, text: typeof body === 'string' ? body : JSON.stringify(body), headers });
const err = (status: number, code: number, message: string) => res(status, { error_code: code, message });
const offset = (error_code: number | null, error: string | null = null) => ({ partition: error_code === null ? 0 : null, offset: error_code === null ? 7 : null, error_code, error });

describe('classifyProduce', () => {
  it.each<[string, HttpResponse, number, object]>([
    ['200, every record produced', res(200, { key_schema_id: null, value_schema_id: null, offsets: [offset(null), offset(null)] }), 2, { kind: 'ok' }],
    ['200 with no offsets to read', res(200, ''), 1, { kind: 'ok' }],
    [
      '200 from a current kafka-rest: 50003 (retriable) and 50302 (no broker) retried, 40301 (ACL) held as credentials, 50002 dead-lettered',
      res(200, { offsets: [offset(50003, 'Expiring 1 record(s)'), offset(50302, 'no broker'), offset(40301, 'not authorized'), offset(50002, 'RecordTooLargeException')] }),
      4,
      {
        kind: 'partial',
        items: [
          { kind: 'retry', reason: 'record not produced: error_code 50003: Expiring 1 record(s)' },
          { kind: 'retry', reason: 'record not produced: error_code 50302: no broker' },
          { kind: 'retry', auth: true, reason: "record not produced: error_code 40301: not authorized (credentials or ACLs refused: check the proxy's authentication and the topic's ACLs)" },
          { kind: 'fail', reason: 'record not produced: error_code 50002: RecordTooLargeException' },
        ],
      },
    ],
    [
      '200, one record with a retriable error (2), one with another (1)',
      res(200, { offsets: [offset(null), offset(2, 'NOT_ENOUGH_REPLICAS'), offset(1, 'RECORD_TOO_LARGE')] }),
      3,
      {
        kind: 'partial',
        items: [
          { kind: 'ok' },
          { kind: 'retry', reason: 'record not produced: error_code 2: NOT_ENOUGH_REPLICAS' },
          { kind: 'fail', reason: 'record not produced: error_code 1: RECORD_TOO_LARGE' },
        ],
      },
    ],
    ['404 40401 topic not found', err(404, 40401, 'Topic not found.'), 1, { kind: 'fail', whole: true, reason: 'HTTP 404: error_code 40401: Topic not found. (create the topic, or check the topic in kafkarest.address)' }],
    ['404 40403 unknown topic or partition', err(404, 40403, 'This server does not host this topic-partition.'), 1, { kind: 'fail', whole: true, reason: 'HTTP 404: error_code 40403: This server does not host this topic-partition. (create the topic, or check the topic in kafkarest.address)' }],
    ['404 of another path', err(404, 404, 'HTTP 404 Not Found'), 1, { kind: 'fail', whole: true, reason: 'HTTP 404: error_code 404: HTTP 404 Not Found (no REST Proxy topic here: kafkarest.address is http(s)://<proxy>/topics/<topic>)' }],
    ['401 40101', err(401, 40101, 'Authentication failed'), 1, { kind: 'retry', auth: true, reason: "HTTP 401: error_code 40101: Authentication failed (credentials or ACLs refused: check the proxy's authentication and the topic's ACLs)" }],
    ['403 40301', err(403, 40301, 'Not authorized to access topics: [falco]'), 1, { kind: 'retry', auth: true, reason: "HTTP 403: error_code 40301: Not authorized to access topics: [falco] (credentials or ACLs refused: check the proxy's authentication and the topic's ACLs)" }],
    ['422 42206 not base64', err(422, 42206, 'records[0].value is not base64'), 1, { kind: 'fail', reason: 'HTTP 422: error_code 42206: records[0].value is not base64' }],
    ['415 unsupported media type', err(415, 415, 'HTTP 415 Unsupported Media Type'), 1, { kind: 'fail', reason: 'HTTP 415: error_code 415: HTTP 415 Unsupported Media Type', whole: true }],
    ['400 40002', err(400, 40002, 'Invalid request'), 1, { kind: 'fail', reason: 'HTTP 400: error_code 40002: Invalid request' }],
    ['429 42901 with Retry-After', { ...err(429, 42901, 'Request rate limit exceeded'), headers: { 'retry-after': '1' } }, 1, { kind: 'retry', reason: 'HTTP 429: error_code 42901: Request rate limit exceeded', afterMs: 1000 }],
    ['500 50002 Kafka error', err(500, 50002, 'Kafka exception'), 1, { kind: 'retry', reason: 'HTTP 500: error_code 50002: Kafka exception' }],
    ['500 50003 retriable', err(500, 50003, 'Retriable Kafka exception'), 1, { kind: 'retry', reason: 'HTTP 500: error_code 50003: Retriable Kafka exception' }],
    ['503 50302 broker not available', err(503, 50302, 'Broker not available'), 1, { kind: 'retry', reason: 'HTTP 503: error_code 50302: Broker not available' }],
    ['502 from a proxy in front (not JSON)', res(502, 'Bad Gateway'), 1, { kind: 'retry', reason: 'HTTP 502: Bad Gateway' }],
  ])('%s', (_name, response, count, outcome) => {
    expect(classifyProduce(response, NOW, count)).toEqual(outcome);
  });
});
