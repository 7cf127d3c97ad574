// Silences: a match (routing's syntax, compiled by compileMatch), an expiry and a reason, for some
// outputs or all. Checked against the clock on every alert, so an expired silence stops at once and
// needs no timer. From the config (ids cfg-1, cfg-2, …) and from the API (random ids).
import { randomBytes } from 'node:crypto';
import type { Alert } from '../alert/alert.ts';
import { compileMatch, type CompiledMatch } from '../routing/compile.ts';
import { parseDuration } from './duration.ts';
import type { SilenceSpec } from './schema.ts';

export interface Silence {
  id: string;
  /** The match spec as given (shown by the API and the CLI). */
  match: unknown;
  until: number;
  reason: string;
  /** undefined: every output. */
  outputs: readonly string[] | undefined;
  createdAt: number;
  origin: 'config' | 'api';
  /** Alerts it held back since it was loaded. */
  hits: number;
}

interface Active extends Silence {
  test: CompiledMatch['test'];
}

/** The moment a spec ends: until as given, or `for` from `now`. */
export function silenceEnd(spec: Pick<SilenceSpec, 'until' | 'for'>, now: number): number {
  return spec.until !== undefined ? Date.parse(spec.until) : now + (parseDuration(spec.for as string | number) as number);
}

/** The id of a run-time silence: s- and 12 hex digits. */
export const newSilenceId = (): string => `s-${randomBytes(6).toString('hex')}`;

export interface SilenceJournal {
  saved(silence: Silence): void;
  removed(id: string): void;
}

export class Silences {
  private list: Active[] = [];
  private bracketreplacer: string;
  journal: SilenceJournal | undefined;

  constructor(bracketreplacer: string) {
    this.bracketreplacer = bracketreplacer;
  }

  /** Adds a silence; the match is validated and compiled here (ConfigError with paths when it is wrong). */
  add(silence: Omit<Silence, 'hits' | 'id'> & { id?: string }, path: readonly (string | number)[] = ['match']): Silence {
    const test = compileMatch(silence.match, { bracketreplacer: this.bracketreplacer, path }).test;
    const active: Active = { ...silence, id: silence.id ?? newSilenceId(), hits: 0, test };
    this.list = [...this.list.filter((s) => s.id !== active.id), active];
    if (active.origin === 'api') this.journal?.saved(publicView(active));
    return publicView(active);
  }

  /**
   * Hot reload: the config's silences become `silences`, in one step. One whose id is a key of `kept`
   * is the running silence of the id it maps to, renamed (its end and hit count stay: the same spec,
   * moved in the list), or none when that one has ended or was ended through the API: an unchanged
   * spec does not start again. API silences are untouched.
   */
  replaceConfigured(silences: readonly (Omit<Silence, 'hits'> & { path: readonly (string | number)[] })[], kept: ReadonlyMap<string, string>): void {
    const running = new Map(this.list.filter((s) => s.origin === 'config').map((s) => [s.id, s]));
    const configured: Active[] = [];
    for (const { path, ...s } of silences) {
      const keptId = kept.get(s.id);
      if (keptId === undefined) configured.push({ ...s, hits: 0, test: compileMatch(s.match, { bracketreplacer: this.bracketreplacer, path }).test });
      else {
        const was = running.get(keptId);
        if (was) configured.push({ ...was, id: s.id });
      }
    }
    this.list = [...this.list.filter((s) => s.origin !== 'config'), ...configured];
  }

  /** Hot reload: a new bracketreplacer. Every silence reads its fields by it from now on; its end and hits stay. */
  rebracket(bracketreplacer: string): void {
    this.bracketreplacer = bracketreplacer;
    this.list = this.list.map((s) => ({ ...s, test: compileMatch(s.match, { bracketreplacer, path: ['match'] }).test }));
  }

  /** Ends a silence now. false when there is no active silence with this id. */
  expire(id: string, now: number): boolean {
    const found = this.list.find((s) => s.id === id && s.until > now);
    this.list = this.list.filter((s) => s.id !== id);
    this.journal?.removed(id);
    return found !== undefined;
  }

  /** Active silences (expired ones are forgotten here). */
  active(now: number): Silence[] {
    this.prune(now);
    return this.list.map(publicView);
  }

  /** The first active silence that holds this alert back on this output, counted; undefined when none. */
  check(alert: Alert, output: string, now: number): Silence | undefined {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as Active;
      if (s.until <= now) continue;
      if (s.outputs !== undefined && !s.outputs.includes(output)) continue;
      if (s.test(alert)) {
        s.hits++;
        return s;
      }
    }
    return undefined;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  private prune(now: number): void {
    const expired = this.list.filter((s) => s.until <= now);
    if (expired.length === 0) return;
    this.list = this.list.filter((s) => s.until > now);
    for (const s of expired) if (s.origin === 'api') this.journal?.removed(s.id);
  }
}

function publicView(s: Active): Silence {
  const { test: _test, ...rest } = s;
  return rest;
}
