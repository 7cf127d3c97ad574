// The delivery trail of one alert: when and from where it arrived, which outputs took it (or why
// not), every attempt, and where each output ended. The recorder is what the hot path calls; the
// store keeps a bounded history and answers the console's queries.
import type { Alert } from '../alert/alert.ts';

/** Where an output stands with one alert. queued/retrying are on the way; the others are final. */
export type OutputState = 'queued' | 'retrying' | 'delivered' | 'dead_lettered' | 'suppressed' | 'shed' | 'dropped' | 'not_routed';

export const OUTPUT_STATES: readonly OutputState[] = ['queued', 'retrying', 'delivered', 'dead_lettered', 'suppressed', 'shed', 'dropped', 'not_routed'];

export interface Attempt {
  /** Epoch ms when the request started. */
  at: number;
  latencyMs: number;
  /** ok, retry (will be tried again or ran out of budget) or fail (refused for good). */
  outcome: 'ok' | 'retry' | 'fail';
  /** The plugin's classification, e.g. "HTTP 503: unavailable"; "duplicate" for an idempotent replay. */
  detail: string;
  /** How many alerts the request carried. */
  batch: number;
}

export interface OutputTrail {
  output: string;
  /** Whether the router queued the alert on this output. */
  routed: boolean;
  /** Why the router did not (e.g. "minimumpriority Critical is above Warning"), or why the output stopped (dead letter reason). */
  reason?: string;
  state: OutputState;
  /** When the state was reached (epoch ms). */
  stateAt: number;
  /** Attempts made (the list below keeps the latest ones only). */
  attemptCount: number;
  attempts: Attempt[];
}

export interface TrailRecord {
  uuid: string;
  receivedAt: number;
  /** The client address the alert came from ("" when unknown, e.g. a dead letter replayed). */
  from: string;
  alert: Alert;
  outputs: OutputTrail[];
}

/** One line of the recent-alerts list. */
export interface TrailSummary {
  uuid: string;
  /** Cursor order: larger is newer. */
  seq: number;
  receivedAt: number;
  from: string;
  rule: string;
  priority: Alert['priority'];
  source: string;
  hostname: string;
  namespace: string;
  output: string;
  states: Record<string, OutputState>;
}

export interface TrailQuery {
  since?: number;
  until?: number;
  rule?: string;
  /** Any of these priorities. */
  priorities?: string[];
  source?: string;
  hostname?: string;
  namespace?: string;
  /** Outputs that took the alert… */
  output?: string;
  /** …in this state (with `output`: that output's state; alone: any output's). */
  state?: OutputState;
  /** Case-insensitive substring of the alert's output line. */
  text?: string;
  /** Only alerts older than this cursor (a summary's seq): the next page. */
  before?: number;
  /** Only alerts newer than this cursor: the live tail. */
  after?: number;
  limit: number;
}

export type StatsDimension = 'priority' | 'rule' | 'namespace';

export interface TrailStats {
  bucketMs: number;
  /** Oldest first; each bucket's counts by the dimension's value. */
  buckets: { at: number; counts: Record<string, number> }[];
}

/** Why the router did not send this alert to this output (the routing matcher hands its own reason). */
export type RouteExplainer = (alert: Alert, output: string) => string;

/** An output's filter (routing's CompiledMatch): why it does not take an alert, undefined when it does. */
export interface RouteFilter {
  explain(alert: Alert): string | undefined;
}

/** The reason given when an output's filter would take the alert but the router did not send it there. */
export const NOT_ROUTED = 'not routed to this output';

/** The explainer over the outputs' filters (live: a reload replaces the map's entries). */
export function explainer(filters: ReadonlyMap<string, RouteFilter>): RouteExplainer {
  return (alert, output) => filters.get(output)?.explain(alert) ?? NOT_ROUTED;
}

/** The namespace of an alert, as Falco names it in output_fields. */
export function namespaceOf(alert: Alert): string {
  const ns = alert.output_fields['k8s.ns.name'];
  return typeof ns === 'string' ? ns : '';
}
