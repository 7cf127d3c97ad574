// Every error a user can see has a stable code, a message that says what to do, and where it applies.

export const ErrorCodes = {
  CONFIG_INVALID: 'ERR_CONFIG_INVALID',
  CONFIG_UNREADABLE: 'ERR_CONFIG_UNREADABLE',
  BODY_EMPTY: 'ERR_BODY_EMPTY',
  BODY_TOO_LARGE: 'ERR_BODY_TOO_LARGE',
  JSON_MALFORMED: 'ERR_JSON_MALFORMED',
  GZIP_INVALID: 'ERR_GZIP_INVALID',
  CONTENT_TYPE_UNSUPPORTED: 'ERR_CONTENT_TYPE_UNSUPPORTED',
  CONTENT_ENCODING_UNSUPPORTED: 'ERR_CONTENT_ENCODING_UNSUPPORTED',
  ALERT_INVALID: 'ERR_ALERT_INVALID',
  TEXT_UNPARSEABLE: 'ERR_TEXT_UNPARSEABLE',
  BATCH_PARTIAL: 'ERR_BATCH_PARTIAL',
  UNAUTHORIZED: 'ERR_UNAUTHORIZED',
  FORBIDDEN: 'ERR_FORBIDDEN',
  RATE_LIMITED: 'ERR_RATE_LIMITED',
  QUERY_INVALID: 'ERR_QUERY_INVALID',
  NOT_FOUND: 'ERR_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'ERR_METHOD_NOT_ALLOWED',
  SPOOL_FULL: 'ERR_SPOOL_FULL',
  SPOOL_WRITE: 'ERR_SPOOL_WRITE',
  SILENCE_INVALID: 'ERR_SILENCE_INVALID',
  HTTP_MALFORMED: 'ERR_HTTP_MALFORMED',
  HEADERS_TOO_LARGE: 'ERR_HEADERS_TOO_LARGE',
  REQUEST_TIMEOUT: 'ERR_REQUEST_TIMEOUT',
  INTERNAL: 'ERR_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface ErrorDoc {
  /** The HTTP status it comes with; undefined for the startup errors (the process exits 1). */
  status: number | undefined;
  when: string;
  fix: string;
}

// docs/errors.md is generated from this record (npm run generate); the type makes a new code
// without its entry a compile error.
export const ERROR_DOCS: Record<ErrorCode, ErrorDoc> = {
  ERR_CONFIG_INVALID: {
    status: 422,
    when: 'At startup, `--check-config` or `peregrine dlq`: the configuration (file + environment) has problems — a wrong type, an unknown `minimumpriority`, a bad URL, a template that does not compile, a misspelt key, a cross-key check of an output. Every problem is listed with its dotted path and env var. On a reload (SIGHUP, a file change, `POST /api/v1/reload`, which answers 422 with `problems`) the running config stays and `/healthz` `config.stale` is true.',
    fix: 'Correct each listed key (in the file or its env var), then run `peregrine -c FILE --check-config` until it prints `config OK`; a running daemon reloads once the file is saved valid.',
  },
  ERR_CONFIG_UNREADABLE: {
    status: undefined,
    when: 'At startup: the file given with `-c` (or `config/peregrine.yaml`) cannot be read.',
    fix: 'Check the path and its permissions (in Kubernetes, the ConfigMap mount); the message carries the system error code (ENOENT, EACCES).',
  },
  ERR_BODY_EMPTY: {
    status: 400,
    when: 'An empty request body, or an empty JSON array.',
    fix: 'Send one Falco alert as JSON, a JSON array of alerts, or NDJSON.',
  },
  ERR_BODY_TOO_LARGE: {
    status: 413,
    when: 'The body is larger than `ingest.maxbodybytes`, before or after gunzip.',
    fix: 'Send fewer alerts per request, or raise `ingest.maxbodybytes`.',
  },
  ERR_JSON_MALFORMED: {
    status: 400,
    when: 'The body (or one NDJSON line) is not JSON.',
    fix: 'Check the sender; for Falco set `json_output: true`. The message gives the position of the error.',
  },
  ERR_GZIP_INVALID: {
    status: 400,
    when: '`Content-Encoding: gzip` with a body that is not gzip.',
    fix: 'Gzip the body, or drop the header.',
  },
  ERR_CONTENT_TYPE_UNSUPPORTED: {
    status: 415,
    when: 'A `Content-Type` other than JSON (`application/json`, `*+json`), NDJSON (`application/x-ndjson`, `application/jsonl`, `application/json-seq`) or `text/plain`, with a body that does not parse as JSON either (one that does is taken, as falcosidekick does).',
    fix: 'Send one of those content types (Falco sends `application/json` with `json_output: true`).',
  },
  ERR_CONTENT_ENCODING_UNSUPPORTED: {
    status: 415,
    when: 'A `Content-Encoding` other than identity or gzip.',
    fix: 'Send the body uncompressed or gzipped.',
  },
  ERR_ALERT_INVALID: {
    status: 400,
    when: 'An alert field is missing or wrong (`path` names it): `priority` not a Falco priority, empty `rule`, missing or zero `time`, empty `output_fields`, …; every alert of a batch was rejected (unless all for one other reason, e.g. 507 `ERR_SPOOL_FULL`: then that one); a bad `since` on `GET /dlq`.',
    fix: 'Fix the field `path` names. From Falco this means a non-standard sender or rule: Falco itself always sends these fields.',
  },
  ERR_TEXT_UNPARSEABLE: {
    status: 400,
    when: 'A `text/plain` line is not `<time>: <Priority> <output>`.',
    fix: 'Set `json_output: true` in falco.yaml (better), or send lines in Falco\'s text format.',
  },
  ERR_BATCH_PARTIAL: {
    status: 207,
    when: 'Some alerts of a batch were rejected (`rejected` lists index, code, message, path); the others were queued.',
    fix: 'Fix the rejected alerts and send only those again: the accepted ones are already queued.',
  },
  ERR_UNAUTHORIZED: {
    status: 401,
    when: '`ingest.token` is set and the `Authorization: Bearer …` header of `POST /`, `POST /test` or `GET /dlq` is missing or wrong; or a request to the reload, silences or console API without a valid credential (they always need one).',
    fix: 'Send `Authorization: Bearer <ingest.token>`. Falco\'s http_output cannot send headers: leave `ingest.token` empty for Falco and protect the port with a NetworkPolicy.',
  },
  ERR_NOT_FOUND: {
    status: 404,
    when: 'An unknown path, or on `tlsserver.notlsport` a path that is not in `tlsserver.notlspaths`.',
    fix: 'Falco posts to `/`; see the HTTP API for the other paths.',
  },
  ERR_SILENCE_INVALID: {
    status: 400,
    when: 'A silence sent to `POST /api/v1/silences` (or `peregrine silence add`) is not valid: its match, expiry or reason.',
    fix: 'The reply names the field; a silence needs a `match` (routing syntax), `for` or `until` in the future, and a `reason`.',
  },
  ERR_HTTP_MALFORMED: {
    status: 400,
    when: 'The request is not valid HTTP/1.1: bad chunked encoding, Transfer-Encoding together with Content-Length, a malformed request line.',
    fix: 'A client or proxy bug: check what sits between Falco and Peregrine. Counted in falcosecurity_falcosidekick_inputs_total{status="rejected"}.',
  },
  ERR_HEADERS_TOO_LARGE: {
    status: 431,
    when: 'The request headers are larger than Node\'s limit (16 KiB by default).',
    fix: 'Send fewer or smaller headers.',
  },
  ERR_REQUEST_TIMEOUT: {
    status: 408,
    when: 'The client did not send its headers within 10 s or its whole request within `ingest.requesttimeoutms`.',
    fix: 'A stalled or very slow client; raise `ingest.requesttimeoutms` only for a slow network.',
  },
  ERR_FORBIDDEN: {
    status: 403,
    when: 'A console or API call that needs the admin role (replay, purge) was made with the read-only token or a non-admin trusted user.',
    fix: 'Use `console.token` (admin), or add the user to `console.trustedadmins`.',
  },
  ERR_RATE_LIMITED: {
    status: 429,
    when: 'A client called the console or its API faster than its rate limit allows (it never limits ingest).',
    fix: 'Wait the Retry-After seconds; scripts should poll less often.',
  },
  ERR_QUERY_INVALID: {
    status: 400,
    when: 'A query parameter of the console API is not valid (a time that does not parse, an unknown state, a limit out of range).',
    fix: 'The reply names the parameter; see docs/console.md for the filters.',
  },
  ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    when: 'A POST to an endpoint that takes no alert (`/dlq`). Alerts are accepted on any path that is not an endpoint, as falcosidekick does; another method there is a 404.',
    fix: 'POST the alert to `/`; GET is for `/healthz`, `/ping`, `/metrics` and `/dlq`.',
  },
  ERR_SPOOL_FULL: {
    status: 507,
    when: 'The spool is at `spool.maxbytes` and holds only alerts of the same or higher priority than the new one.',
    fix: 'Fix the output that does not deliver (see `/healthz`), or raise `spool.maxbytes` and the volume under it.',
  },
  ERR_SPOOL_WRITE: {
    status: 503,
    when: 'The spool could not store the alert (disk full or failing).',
    fix: 'Read the Peregrine log for the SQLite error; free or fix the volume at `spool.dir`.',
  },
  ERR_INTERNAL: {
    status: 500,
    when: 'An unexpected error while handling a request.',
    fix: 'The details are in the Peregrine log (`unexpected error handling a request`); report it as a bug with that line.',
  },
};

/** An error a client caused: it becomes `{error: {code, message, path?}}` with `status`. */
export class RequestError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly path: string | undefined;
  constructor(code: ErrorCode, status: number, message: string, path?: string) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
    this.status = status;
    this.path = path;
  }
  toBody(): { error: { code: ErrorCode; message: string; path?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.path === undefined ? {} : { path: this.path }) } };
  }
}

export interface ConfigProblem {
  /** Dotted key path, e.g. `elasticsearch.minimumpriority`. */
  path: string;
  /** The environment variable that sets this key, when there is one. */
  env?: string;
  message: string;
}

/** The daemon refuses to start: every problem is listed, none contains a secret value. */
export class ConfigError extends Error {
  readonly code = ErrorCodes.CONFIG_INVALID;
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(`${problems.length} configuration problem${problems.length === 1 ? '' : 's'}:\n` + problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function formatProblem(p: ConfigProblem): string {
  return `  - ${p.path || '(root)'}: ${p.message}${p.env ? ` (env ${p.env})` : ''}`;
}
