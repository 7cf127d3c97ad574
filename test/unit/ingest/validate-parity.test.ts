import { describe, expect, it } from 'vitest';
import { AlertSchema, toAlert } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { validateAlert } from '../../../src/ingest/validate.ts';
import { alertCorpus, fixtureText } from '../../support/fixtures.ts';

const corpus = alertCorpus();

describe('the compiled validator agrees with the zod schema', () => {
  it.each(corpus.valid.map((c) => [c.name, c.alert]))('accepts %s (both)', (_name, alert) => {
    expect(AlertSchema.safeParse(alert).success).toBe(true);
    expect(validateAlert(alert).ok).toBe(true);
  });

  it.each(corpus.invalid.map((c) => [c.name, c.alert, c.path]))('rejects %s (both), pointing at the field', (_name, alert, path) => {
    expect(AlertSchema.safeParse(alert).success).toBe(false);
    const result = validateAlert(alert);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('ERR_ALERT_INVALID');
      expect(result.error.status).toBe(400);
      expect(result.error.path).toBe(path);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });

  it('explains an unknown priority with the accepted values and what was sent', () => {
    const result = validateAlert({ priority: 'Urgent', rule: 'r', time: '2026-11-20T10:21:36Z', output_fields: { a: 1 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/one of Debug, Informational.*\(got "Urgent"\)/);
  });
});

describe('normalisation', () => {
  it('re-emits the priority in Title case, fills source, keeps a sent uuid, generates one otherwise', () => {
    const kept = toAlert({ uuid: 'abc-1', priority: 'cRITICAL', rule: 'r', time: '2026-11-20T10:21:36Z', output_fields: { a: 1 } });
    expect(kept).toMatchObject({ uuid: 'abc-1', priority: 'Critical', source: 'syscalls', tags: [], output: '' });
    const generated = toAlert({ priority: 'info', rule: 'r', time: '2026-11-20T10:21:36Z', output_fields: { a: 1 } });
    expect(generated.priority).toBe('Informational');
    expect(generated.uuid).toMatch(/^[0-9a-f-]{36}$/);
    // a sender's id that cannot be a key everywhere (ES _id, Kafka key, a header) is replaced, not refused
    for (const uuid of ['has space', '', 'a'.repeat(129), 'é']) expect(toAlert({ uuid, priority: 'info', rule: 'r', time: '2026-11-20T10:21:36Z' }, () => 'new-id').uuid).toBe('new-id');
  });

  it('keeps big integers exact through parse → normalise → stringify', () => {
    const text = fixtureText('alerts/falco-shell.json');
    const input = parseJson(text);
    const result = validateAlert(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const json = JSON.stringify(toAlert(result.input, () => 'id-1'));
    expect(json).toContain('"evt.time":1700000000167531875');
    expect(json.startsWith('{"uuid":"id-1","output":')).toBe(true);
  });
});
