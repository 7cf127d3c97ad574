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
  INTERNAL: 'ERR_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

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
