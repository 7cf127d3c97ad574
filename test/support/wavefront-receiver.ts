// Wavefront's /report?f=wavefront (direct ingestion on the instance, and a Wavefront proxy's HTTP
// metrics port, 2878), from its docs ("Wavefront Data Format", "Direct Ingestion", "Limits"):
// gzip'd or plain lines `<metricName> <metricValue> [<timestamp>] source=<source> [pointTags]`, each
// ending with "\n"; a metric name of letters, digits, "-", "_", "." ("/" and "," when quoted, a
// leading "~", "∆" or "Δ"), at most 256 characters; the value a number; the timestamp an integer;
// the source letters, digits, "-", "_", ".", at most 128 characters; point tags `<key>="<value>"`,
// keys of letters, digits, "-", "_", ".", values not empty, `\"` for a quote, never ending with a
// backslash, key and value together at most 254 characters. Direct ingestion takes
// "Authorization: Bearer <token>" (401 for an unknown token, 403 without the Direct Data Ingestion
// permission); a proxy takes no credentials. Answers: 202 accepted (empty body); 400 with the
// reason for a line it cannot parse; 406 pushback; 429; 5xx.
import { GzipSaasReceiver, type GzipVendorSpec, type RawRequest, type VendorAnswer, type VendorFault } from './gzip-saas-receiver.ts';

export interface Point {
  metric: string;
  value: number;
  timestamp: string | undefined;
  source: string;
  tags: Record<string, string>;
}

const METRIC_QUOTED = /^(?:[\u2206\u0394]~?|~)?[A-Za-z0-9._\-/,]+$/;
const METRIC_BARE = /^(?:[\u2206\u0394]~?|~)?[A-Za-z0-9._-]+$/;
const SOURCE_TEXT = /^[A-Za-z0-9._-]+$/;
const TAG_KEY = /^[A-Za-z0-9._-]+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Reads one token at `pos`: a quoted string (`\"` is a quote) or bare text up to a space or `stop`. */
function token(line: string, pos: number, stop: string): { text: string; quoted: boolean; end: number } | string {
  if (line[pos] === '"') {
    let text = '';
    for (let i = pos + 1; i < line.length; i++) {
      if (line[i] === '\\' && line[i + 1] === '"') {
        text += '"';
        i++;
      } else if (line[i] === '"') return { text, quoted: true, end: i + 1 };
      else text += line[i];
    }
    return `unterminated quoted text at column ${pos + 1} (a value may not end with a backslash)`;
  }
  let end = pos;
  while (end < line.length && line[end] !== ' ' && !stop.includes(line[end] as string)) end++;
  return { text: line.slice(pos, end), quoted: false, end };
}

/** One line (without its "\n") as a point, or what is wrong with it. */
export function parsePoint(line: string): Point | string {
  const metric = token(line, 0, '');
  if (typeof metric === 'string') return `metric name: ${metric}`;
  if (metric.text === '' || !(metric.quoted ? METRIC_QUOTED : METRIC_BARE).test(metric.text)) return `invalid metric name ${JSON.stringify(metric.text)}`;
  if (metric.text.length > 256) return `metric name longer than 256 characters`;
  if (line[metric.end] !== ' ') return 'no value after the metric name';
  const value = token(line, metric.end + 1, '');
  if (typeof value === 'string' || !NUMBER.test(value.text)) return `invalid value ${JSON.stringify(typeof value === 'string' ? value : value.text)}`;
  let pos = value.end;
  let timestamp: string | undefined;
  let source: string | undefined;
  const tags: Record<string, string> = {};
  while (pos < line.length) {
    if (line[pos] !== ' ') return `expected a space at column ${pos + 1}`;
    pos++;
    const key = token(line, pos, '=');
    if (typeof key === 'string') return key;
    if (line[key.end] !== '=') {
      if (timestamp !== undefined || source !== undefined || Object.keys(tags).length > 0 || key.quoted || !/^\d+$/.test(key.text)) return `unexpected ${JSON.stringify(key.text)} at column ${pos + 1}`;
      timestamp = key.text;
      pos = key.end;
      continue;
    }
    const val = token(line, key.end + 1, '');
    if (typeof val === 'string') return `${key.text}: ${val}`;
    pos = val.end;
    if (source === undefined && (key.text === 'source' || key.text === 'host')) {
      if (!SOURCE_TEXT.test(val.text) || val.text.length > 128) return `invalid source ${JSON.stringify(val.text)}`;
      source = val.text;
      continue;
    }
    if (!TAG_KEY.test(key.text)) return `invalid point tag key ${JSON.stringify(key.text)}`;
    if (val.text === '') return `empty value for point tag ${key.text}`;
    if (key.text.length + val.text.length > 254) return `point tag ${key.text}: key and value longer than 254 characters`;
    if (key.text in tags) return `point tag ${key.text} given twice`;
    tags[key.text] = val.text;
  }
  if (source === undefined) return 'no source';
  return { metric: metric.text, value: Number(value.text), timestamp, source, tags };
}

/** A body's points, or the problems: lines end with "\n", none is empty. */
export function parseBody(body: string): { points: Point[]; problems: string[] } {
  const points: Point[] = [];
  const problems: string[] = [];
  if (!body.endsWith('\n')) problems.push('the last line does not end with a newline');
  const lines = body.split('\n');
  lines.pop();
  lines.forEach((line, i) => {
    const point = parsePoint(line);
    if (typeof point === 'string') problems.push(`line ${i + 1}: ${point}`);
    else points.push(point);
  });
  if (lines.length === 0) problems.push('no point');
  return { points, problems };
}

function apiError(status: number, message: string): VendorAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: { result: 'ERROR', message, code: status } }) };
}

function wavefrontSpec(mode: { direct: true; token: string } | { direct: false }): GzipVendorSpec {
  return {
    authorize(req) {
      if (!mode.direct) return undefined;
      return req.headers.authorization === `Bearer ${mode.token}` ? undefined : apiError(401, 'Authorization required or the token is not valid');
    },
    route(req) {
      return req.url.split('?')[0] === '/report' ? undefined : { status: 404, body: 'Not Found' };
    },
    validate(req: RawRequest) {
      const problems: string[] = [];
      if (req.method !== 'POST') problems.push(`${req.method} is not POST`);
      if (new URL(req.url, 'http://x').searchParams.get('f') !== 'wavefront') problems.push(`${req.url} does not ask for f=wavefront`);
      if (req.body === undefined) return [...problems, 'the body does not decode (gzip per Content-Encoding, then UTF-8)'];
      return [...problems, ...parseBody(req.body).problems];
    },
    accept: () => ({ status: 202, body: '' }),
    reject: (problems) => ({ status: 400, headers: { 'content-type': 'text/plain' }, body: problems.join('\n') }),
    fault(fault: VendorFault): VendorAnswer {
      switch (fault.kind) {
        case 'throttle':
          return { status: 429, headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}, body: 'Too Many Requests' };
        case 'unavailable':
          return { status: fault.status ?? 503, body: 'Service Unavailable' };
        case 'status':
          if (fault.status === 406) return { status: 406, body: 'Pushback: the ingestion rate is over its limit' };
          if (fault.status === 403) return apiError(403, 'The token lacks the Direct Data Ingestion permission');
          return apiError(fault.status, `HTTP ${fault.status}`);
      }
    },
  };
}

/** Direct ingestion with this API token. */
export function startWavefrontDirect(token: string, now?: () => number): Promise<GzipSaasReceiver> {
  return new GzipSaasReceiver(wavefrontSpec({ direct: true, token }), now).start();
}

/** A Wavefront proxy's HTTP metrics port. */
export function startWavefrontProxy(now?: () => number): Promise<GzipSaasReceiver> {
  return new GzipSaasReceiver(wavefrontSpec({ direct: false }), now).start();
}

