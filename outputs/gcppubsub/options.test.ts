// gcppubsub's keys as falcosidekick 2.34.1 spells them (gcp.pubsub.projectid, topic,
// customattributes and GCP_PUBSUB_CUSTOMATTRIBUTES="k:v,k:v"), and Pub/Sub's attribute limits at load.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { outputs } from '../../test/support/outputs.ts';
import pubsub from './index.ts';

const load = (env: Record<string, string>, file?: string) => loadConfig({ env, plugins: outputs, cwd: tmpdir(), ...(file ? { read: { raw: JSON.parse(file) as unknown, source: 'test' } } : {}) });

describe('gcppubsub options', () => {
  it('loads GCP_PUBSUB_PROJECTID, GCP_PUBSUB_TOPIC, GCP_PUBSUB_CUSTOMATTRIBUTES and GCP_PUBSUB_MINIMUMPRIORITY', () => {
    const { config } = load({ GCP_PUBSUB_PROJECTID: 'p1', GCP_PUBSUB_TOPIC: 'falco', GCP_PUBSUB_CUSTOMATTRIBUTES: 'env:prod,team:sec', GCP_PUBSUB_MINIMUMPRIORITY: 'error' });
    expect(config).toMatchObject({ gcp: { pubsub: { projectid: 'p1', topic: 'falco', customattributes: { env: 'prod', team: 'sec' }, minimumpriority: 'error' } } });
  });

  it('is on only with both projectid and topic, as in falcosidekick', () => {
    const parse = (o: Record<string, unknown>) => pubsub.enabled(pubsub.schema.parse(o));
    expect(pubsub.schema.parse({})).toEqual({ projectid: '', topic: '', customattributes: {} });
    expect(parse({})).toBe(false);
    expect(parse({ projectid: 'p1' })).toBe(false);
    expect(parse({ topic: 'falco' })).toBe(false);
    expect(parse({ projectid: 'p1', topic: 'falco' })).toBe(true);
  });

  it('customattributes as a map from the file', () => {
    const { config } = load({}, JSON.stringify({ gcp: { pubsub: { projectid: 'p1', topic: 't', customattributes: { env: 'prod' } } } }));
    expect(config).toMatchObject({ gcp: { pubsub: { customattributes: { env: 'prod' } } } });
  });

  it.each([
    [{ googkey: 'x' }, 'customattributes', 'key "googkey" starts with "goog", which Pub/Sub reserves'],
    [{ '': 'x' }, 'customattributes', 'key "" must be 1 to 256 bytes long'],
    [{ ['k'.repeat(257)]: 'x' }, 'customattributes', `key "${'k'.repeat(40)}" must be 1 to 256 bytes long`],
    [{ big: 'v'.repeat(1025) }, 'customattributes.big', 'value is 1025 bytes; Pub/Sub takes at most 1024'],
    [Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v'])), 'customattributes', 'has 101 attributes; Pub/Sub takes at most 100 per message'],
  ])('attributes Pub/Sub refuses are a startup problem: %#', (attributes, path, message) => {
    expect(pubsub.validate?.(pubsub.schema.parse({ projectid: 'p', topic: 't', customattributes: attributes }))).toEqual([{ path, message }]);
  });

  it('attributes within the limits pass', () => {
    expect(pubsub.validate?.(pubsub.schema.parse({ projectid: 'p', topic: 't', customattributes: { ['k'.repeat(256)]: 'v'.repeat(1024) } }))).toEqual([]);
  });
});
