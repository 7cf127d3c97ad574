// Shape of $PEREGRINE_IT_STATE/victorialogs.json (written by test/infra/victorialogs/start.sh) and
// helpers to read back what arrived through its Loki push API.
//
// VictoriaLogs v1.52.2 (Apache-2.0) stands in for Grafana Loki (AGPL, not used). Its Loki endpoint
// is /insert/loki/api/v1/push (JSON or protobuf+snappy). How an entry comes back from
// /select/logsql/query (one JSON object per line):
//   _msg      the log line as sent (with ?disable_message_parsing=1 on the push URL; without it a
//             JSON line is split into fields and _msg is lost — push with that query argument)
//   _time     RFC 3339 with all nine fraction digits: the entry timestamp, exact to the nanosecond
//   _stream   the stream labels, `{a="x",b="y"}` (sorted); each label is also a field of its own
// Where it differs from Loki: no "too old" / "out of order" / rate-limit rejections (entries
// outside -retentionPeriod, 100y here, are dropped silently with 204); duplicate entries are kept
// (Loki drops an exact duplicate). X-Scope-OrgID is read as VictoriaLogs' AccountID, so a tenant
// must be a uint32 here (a non-numeric one is answered 400 "cannot parse accountID"); query a
// tenant's entries back with queryLogs(…, {tenant}). A malformed push is answered 400.
export interface VictoriaLogsInfra {
  /** Base URL, e.g. "http://127.0.0.1:40123". */
  url: string;
  /** VictoriaLogs' own log. */
  log: string;
}

/** The Loki push path with JSON line parsing off (so _msg is the exact line). */
export const LOKI_PUSH_PATH = '/insert/loki/api/v1/push?disable_message_parsing=1';

export interface StoredEntry {
  _msg: string;
  _time: string;
  _stream: string;
  [field: string]: string;
}

export interface QueryOptions {
  /** The X-Scope-OrgID the entries were pushed with (VictoriaLogs' AccountID); default 0. */
  tenant?: string;
  limit?: number;
}

/** Runs a LogsQL query; entries sorted by _time (ties in arrival order). */
export async function queryLogs(infra: VictoriaLogsInfra, logsql: string, { tenant = '0', limit = 100_000 }: QueryOptions = {}): Promise<StoredEntry[]> {
  const body = new URLSearchParams({ query: `${logsql} | sort by (_time)`, limit: String(limit) });
  const res = await fetch(`${infra.url}/select/logsql/query`, { method: 'POST', body, headers: { AccountID: tenant } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`VictoriaLogs query answered ${res.status}: ${text}`);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as StoredEntry);
}

/** Polls until the query returns at least `count` entries (VictoriaLogs makes new data searchable within ~1 s). */
export async function waitForLogs(
  infra: VictoriaLogsInfra,
  logsql: string,
  { count = 1, timeoutMs = 20_000, tenant }: { count?: number; timeoutMs?: number; tenant?: string } = {},
): Promise<StoredEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await queryLogs(infra, logsql, tenant === undefined ? {} : { tenant });
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} entries matching ${logsql}, found ${found.length}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Nanoseconds since the epoch from VictoriaLogs' RFC 3339 _time (exact: no JS number involved). */
export function timeNanos(rfc3339: string): bigint {
  const m = /^(.{19})(?:\.(\d{1,9}))?Z$/.exec(rfc3339);
  if (!m) throw new Error(`unexpected _time ${rfc3339}`);
  return BigInt(Date.parse(`${m[1]}Z`) / 1000) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}
