// Shared test data lives in test/fixtures/; this only reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const fixturesDir = join(import.meta.dirname, '../fixtures');

export function fixtureText(path: string): string {
  return readFileSync(join(fixturesDir, path), 'utf8');
}

export function fixtureJson<T = unknown>(path: string): T {
  return JSON.parse(fixtureText(path)) as T;
}

export interface CorpusCase {
  name: string;
  path?: string;
  alert: unknown;
}

export function alertCorpus(): { valid: CorpusCase[]; invalid: CorpusCase[] } {
  return fixtureJson('alerts/corpus.json');
}
