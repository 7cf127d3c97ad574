// Destination error text may echo what we sent: an `Authorization` header, a token in the URL.
// Before an outcome's reason reaches /healthz, the dead-letter store or a log line, every secret
// value configured for that output is replaced with ***. The secrets are found the way
// --print-config finds them (src/config/redact.ts, src/config/secrets.ts): what it would redact.
import type { z } from 'zod';
import { redactConfig } from '../config/redact.ts';
import { REDACTED } from '../config/secrets.ts';
import type { SendResult, Outcome } from './result.ts';

export type Scrubber = (text: string) => string;

// Shorter values (a port, "true") would scrub ordinary words out of messages.
const MIN_SECRET_CHARS = 4;

/** The secret strings of an output's options: leaves --print-config hides, and the hidden parts of URLs. */
export function secretValues(schema: z.ZodType, options: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const leaves = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(leaves) : [];
  const walk = (original: unknown, redacted: unknown) => {
    if (redacted === REDACTED && original !== null && typeof original === 'object') {
      // A secret map (customheaders): every value in it.
      for (const s of leaves(original)) found.add(s);
    } else if (typeof original === 'string' && typeof redacted === 'string') {
      if (original !== redacted) for (const s of hiddenParts(original, redacted)) found.add(s);
    } else if (original && redacted && typeof original === 'object' && typeof redacted === 'object') {
      for (const key of Object.keys(original)) walk((original as Record<string, unknown>)[key], (redacted as Record<string, unknown>)[key]);
    }
  };
  walk(options, redactConfig(schema, options));
  return [...found].filter((s) => s.length >= MIN_SECRET_CHARS);
}

/** What redaction replaced in one string: all of it, or a URL's userinfo parts and query values. */
function hiddenParts(original: string, redacted: string): string[] {
  if (redacted === REDACTED) return [original, Buffer.from(original).toString('base64'), ...urlTokens(original)];
  const parts: string[] = [];
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\s]*)@/i.exec(original)?.[1];
  if (userinfo) {
    const [user = '', pass] = userinfo.split(/:(.*)/s);
    const decoded = (v: string) => safeDecode(v);
    if (pass !== undefined) parts.push(pass, decoded(pass), Buffer.from(`${decoded(user)}:${decoded(pass)}`).toString('base64'));
    else parts.push(user, decoded(user));
  }
  const ours = new URLSearchParams(original.split('?')[1]?.split('#')[0] ?? '');
  const theirs = new URLSearchParams(redacted.split('?')[1]?.split('#')[0] ?? '');
  for (const [name, value] of ours) if (theirs.get(name) === REDACTED) parts.push(value, encodeURIComponent(value));
  return parts;
}

/**
 * A URL secret as a whole (a chat webhook) is its tokens: a redirect's Location, or an error that
 * quotes the URL with another scheme or without its query, still holds them. The path segments and
 * query values that look like tokens (16 characters or more, with a digit or a capital letter), so
 * that words of a path such as "formatted_webhook" stay readable.
 */
function urlTokens(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const looksLikeToken = (v: string) => v.length >= 16 && /[0-9A-Z]/.test(v);
  const parts: string[] = [];
  for (const segment of url.pathname.split('/')) {
    const decoded = safeDecode(segment);
    if (looksLikeToken(decoded)) parts.push(segment, decoded);
  }
  for (const [, value] of url.searchParams) if (looksLikeToken(value)) parts.push(value, encodeURIComponent(value));
  return parts;
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function buildScrubber(secrets: readonly string[]): Scrubber {
  const sorted = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of sorted) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    return out;
  };
}

function scrubOutcome(outcome: Outcome, scrub: Scrubber): Outcome {
  return outcome.kind === 'ok' ? outcome : { ...outcome, reason: scrub(outcome.reason) };
}

/**
 * The result with every reason scrubbed. Alerts that shared one outcome object share its scrubbed
 * copy: the object is how the retry policy knows they failed as one (result.ts partial, wholeCall).
 */
export function scrubResult(result: SendResult, scrub: Scrubber): SendResult {
  if (result.kind !== 'partial') return scrubOutcome(result, scrub);
  const copies = new Map<Outcome, Outcome>();
  const items = result.items.map((o) => {
    let copy = copies.get(o);
    if (copy === undefined) copies.set(o, (copy = scrubOutcome(o, scrub)));
    return copy;
  });
  return { kind: 'partial', items };
}
