// The one definition of a secret. A value is secret when the schema marks its key with `secret()`
// (src/config/secret.ts), or when its key's name looks like one — for free-form maps (customheaders,
// customfields) and for anything logged. Config redaction, the logger, the Helm chart's Secret
// routing (scripts/gen-helm-schema.ts) and the contract test all read these.
import { newFields } from '../alert/fields.ts';

/** The words that make a key a secret, whatever its case or surroundings (`X-Api-Key`, `SPLUNK_TOKEN`). */
const SECRET_WORDS = ['authorization', 'token', 'secret', 'password', 'passwd', 'apikey', 'api-key', 'api_key', 'routingkey', 'cookie', 'credential', 'private'] as const;

const SECRET_KEY = new RegExp(SECRET_WORDS.join('|'), 'i');

/** True when a key's name says its value is a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** The same rule as a Go (RE2) regular expression, for the Helm templates. */
export const SECRET_KEY_GO_PATTERN = `(?i)(${SECRET_WORDS.join('|')})`;

export const REDACTED = '***';

/**
 * A copy of `value` with the value of every secret-looking key replaced, at any depth (bounded: a
 * log line is not walked past 6 levels). Strings keep their content but lose a URL's password.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrlPassword(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value instanceof Error || JSON.isRawJSON(value)) return value;
  // Null prototype: a key `__proto__` (an alert's field, in the debug payload log) stays a key.
  const out = newFields();
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v !== '' && v !== undefined && v !== null ? REDACTED : redactDeep(v, depth + 1);
  return out;
}

// Query parameters that carry credentials although their names hold none of SECRET_WORDS.
const SECRET_QUERY_NAMES = /^(key|sig|signature|auth|code|pass|pwd|sas|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

/** True when a URL query parameter's name says its value is a secret (`?apikey=`, `?access_token=`, `?sig=`). */
function isSecretQueryName(name: string): boolean {
  return isSecretKey(name) || SECRET_QUERY_NAMES.test(name);
}

/**
 * A URL's secrets replaced with ***: the password of its userinfo (`user:***@`), a userinfo without
 * one (`http://TOKEN@host` → `http://***@host`: a token put there as the user name), and the values
 * of secret-looking query parameters. Anything that is not a URL is left alone.
 */
export function redactUrlPassword(value: string): string {
  const url = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*@)?([^?#\s]*)(\?[^#\s]*)?(.*)$/is.exec(value);
  if (!url) return value;
  const [, scheme, userinfo, rest, query, tail] = url as unknown as [string, string, string | undefined, string, string | undefined, string];
  let info = '';
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    info = colon >= 0 ? `${userinfo.slice(0, colon)}:${REDACTED}@` : `${REDACTED}@`;
  }
  const q = query?.replace(/([?&])([^=&]*)=([^&]*)/g, (whole, sep: string, name: string, v: string) =>
    v !== '' && isSecretQueryName(decodeName(name)) ? `${sep}${name}=${REDACTED}` : whole,
  );
  return `${scheme}${info}${rest}${q ?? ''}${tail}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
