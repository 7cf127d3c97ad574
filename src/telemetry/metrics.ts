// Every metric Peregrine exposes, in one place. One registry per app so tests never share state.
// falcosidekick's names are kept for existing dashboards, with bounded labels.
import type { Alert } from '../alert/alert.ts';
import { plainValue } from '../alert/json.ts';
import { PRIORITIES, type Priority } from '../alert/priority.ts';
import { Counter, Gauge, Registry, collectDefaultMetrics } from './prom.ts';
import { FastCounter, FastHistogram } from './series.ts';

/** What a worker reports for its gauges; read at scrape time, never pushed per alert. */
export interface QueueStats {
  queued: number;
  queuedBytes: number;
  setAside: number;
  oldestAgeMs: number;
  inflight: number;
  state: 'ok' | 'retrying' | 'failing';
}

// The falco events counter is keyed by alert content; past this many series new ones fold into "_other".
const MAX_EVENT_SERIES = 2000;
// …and each of its label values to this many characters (the last one "…" when cut).
const MAX_LABEL_CHARS = 256;

type EventLabels = Record<string, string>;

/** Which extra labels falco_events_total carries, as in falcosidekick (its handlers.go / stats_prometheus.go). */
export interface EventLabelConfig {
  /** customfields: one label per key (dots → _), valued with the static value. */
  customfields: Record<string, string>;
  /** templatedfields keys: one label per key, valued with the rendered field. */
  templatedfields: string[];
  /** prometheus.extralabels: output_fields keys, one label each, valued when the field is a string. */
  extralabels: string[];
  /** Fill k8s_pod_name (the label is always there; empty unless on). */
  podlabel: boolean;
}

const PROM_LABEL = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const PRIORITY_LABELS = Object.fromEntries(PRIORITIES.map((p, i) => [p, { priority: String(i + 1), priority_raw: p.toLowerCase() }])) as Record<
  Priority,
  { priority: string; priority_raw: string }
>;
const BASE_EVENT_LABELS = ['hostname', 'rule', 'priority', 'priority_raw', 'source', 'k8s_ns_name', 'k8s_pod_name'];
const labelName = (key: string) => key.replaceAll('.', '_');
const fieldText = (value: unknown) => (value === undefined || value === null ? '' : String(plainValue(value)));

/**
 * Counts per key in a plain Map, written to a prom-client counter when it is scraped: for the falco
 * events counter, whose label object (seven labels or more) is built only for a key not seen before,
 * and whose series are capped.
 */
class Tally<L extends Record<string, string>> {
  private readonly counts = new Map<string, { labels: L; n: number }>();

  /**
   * One more for `key`; `labels` is called only the first time the key is seen. Returns false, and
   * counts nothing, when `key` is new and `max` keys are already held.
   */
  add(key: string, labels: () => L, max = Infinity): boolean {
    const entry = this.counts.get(key);
    if (entry) entry.n++;
    else if (this.counts.size < max) this.counts.set(key, { labels: labels(), n: 1 });
    else return false;
    return true;
  }

  writeTo(counter: Counter<string>): void {
    counter.reset();
    for (const { labels, n } of this.counts.values()) counter.inc(labels, n);
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly queueSources = new Map<string, () => QueueStats>();

  // The falco events counter counts in a plain Map and hands the totals to prom-client at scrape
  // time: its label hashing on every alert was a measurable share of ingest CPU. The other counters
  // and the histograms are FastCounter and FastHistogram (series.ts) for the same reason.
  private readonly eventCounts = new Tally<EventLabels>();

  private readonly inputs = new FastCounter({
    name: 'falcosecurity_falcosidekick_inputs_total',
    help: 'Alerts received, by source (requests: POSTed by Falco; test: POST /test) and status (accepted|rejected).',
    labelNames: ['source', 'status'] as const,
    registers: [this.registry],
  });
  readonly outputs = new FastCounter({
    name: 'falcosecurity_falcosidekick_outputs_total',
    help: 'Alerts per destination by final status: ok (delivered) or error (dead-lettered or dropped).',
    labelNames: ['destination', 'status'] as const,
    registers: [this.registry],
  });
  private readonly eventLabels: EventLabelConfig;
  /** [label, how to read its value] for the labels after the base ones, in falcosidekick's order. */
  private readonly extraEventLabels: [string, (alert: Alert) => string][];
  private readonly events: Counter<string>;
  readonly rejected = new FastCounter({
    name: 'peregrine_ingest_rejected_total',
    help: 'Rejected requests or alerts, by error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly delivered = new FastCounter({
    name: 'peregrine_delivered_total',
    help: 'Alerts the destination confirmed (duplicate = it already had them).',
    labelNames: ['output', 'duplicate'] as const,
    registers: [this.registry],
  });
  readonly retries = new FastCounter({
    name: 'peregrine_retries_total',
    help: 'Alerts scheduled for another attempt, by reason: error, throttled (the destination named a Retry-After), auth (credentials refused).',
    labelNames: ['output', 'reason'] as const,
    registers: [this.registry],
  });
  readonly splits = new FastCounter({
    name: 'peregrine_batch_splits_total',
    help: 'Batches that failed whole (refused, or failed with an error again after other alerts were delivered) and whose alerts were sent again in halves, to deliver all but the one at fault.',
    labelNames: ['output'] as const,
    registers: [this.registry],
  });
  readonly dropped = new FastCounter({
    name: 'peregrine_dropped_total',
    help: 'Alerts dropped without delivery, by reason (queue_full, spool_full, spool_read, shutdown).',
    labelNames: ['output', 'reason', 'priority'] as const,
    registers: [this.registry],
  });
  readonly deadLettered = new FastCounter({
    name: 'peregrine_dead_lettered_total',
    help: 'Alerts moved to the dead-letter store, by reason (rejected, retry_budget, output_removed, unreadable).',
    labelNames: ['output', 'reason'] as const,
    registers: [this.registry],
  });
  readonly trailUntracked = new FastCounter({
    name: 'peregrine_trail_untracked_alerts_total',
    help: 'Alerts the delivery trail has no record of, by reason: writer_behind (its writer thread had too much waiting), write_failed (its commit failed, or its store could not record them). Their delivery is not affected.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly deadLetterEvicted = new FastCounter({
    name: 'peregrine_dead_letter_evicted_total',
    help: 'Dead letters evicted because the store was full.',
    registers: [this.registry],
  });
  readonly sendDuration = new FastHistogram({
    name: 'peregrine_send_duration_seconds',
    help: 'Duration of one send (a batch) to a destination, by outcome: ok, retry or fail; partial when its alerts fared differently.',
    labelNames: ['output', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly batchSize = new FastHistogram({
    name: 'peregrine_batch_alerts',
    help: 'Alerts per send.',
    labelNames: ['output'] as const,
    buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 5000],
    registers: [this.registry],
  });
  readonly templateErrors = new FastCounter({
    name: 'peregrine_template_errors_total',
    help: 'templatedfields that failed to render (the field is set to "").',
    labelNames: ['field'] as const,
    registers: [this.registry],
  });
  readonly ingestDuration = new FastHistogram({
    name: 'peregrine_ingest_duration_seconds',
    help: 'Time Peregrine spends on one POST / request, from routing to the last byte of the reply written: what Falco waits for (spool on: the commit included). The network and the client add to it.',
    buckets: [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [this.registry],
  });

  readonly spoolCommit = new FastHistogram({
    name: 'peregrine_spool_commit_seconds',
    help: 'Duration of one spool commit (a group of alerts and delivery updates).',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });

  readonly spoolErrors = new FastCounter({
    name: 'peregrine_spool_errors_total',
    help: 'Failed spool writes by operation (commit, maintain, deadletter): a full or failing disk. Peregrine keeps running and retries.',
    labelNames: ['op'] as const,
    registers: [this.registry],
  });

  readonly connectionsRefused = new FastCounter({
    name: 'peregrine_ingest_connections_refused_total',
    help: 'Ingest connections refused because ingest.maxconnections were open.',
    registers: [this.registry],
  });
  readonly spoolLost = new FastCounter({
    name: 'peregrine_spool_lost_alerts_total',
    help: 'Acknowledged alerts found missing from the spool at start (a damaged or truncated WAL after a crash or power loss): they cannot be delivered. Should stay 0.',
    registers: [this.registry],
  });

  readonly configReloads = new FastCounter({
    name: 'peregrine_config_reloads_total',
    help: 'Config reloads (SIGHUP, a change of the config file, POST /api/v1/reload) by result: success, or failure (the running config stays; the log names every problem).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly configLastReloadOk = new Gauge({
    name: 'peregrine_config_last_reload_successful',
    help: '1 when the last config reload succeeded (or none was tried), 0 when it failed and an older config runs; 1 again once the file holds the running config.',
    registers: [this.registry],
  });
  readonly configLastReloadTime = new Gauge({
    name: 'peregrine_config_last_reload_success_timestamp_seconds',
    help: 'When the running config was loaded (Unix seconds): the start, or the last successful reload.',
    registers: [this.registry],
  });
  readonly configRestartRequired = new Gauge({
    name: 'peregrine_config_restart_required',
    help: 'Settings changed by a reload that take effect only at the next restart (listeners, spool, trail, console, …; /healthz "config" names them).',
    registers: [this.registry],
  });

  /** Set when the spool is on: read at scrape time. */
  spoolBytes: () => number = () => 0;
  /** 1 while spool writes fail (see /healthz "spool"). */
  spoolDegraded: () => number = () => 0;

  constructor(options: { defaultMetrics?: boolean; events?: Partial<EventLabelConfig> } = {}) {
    this.eventLabels = { customfields: {}, templatedfields: [], extralabels: [], podlabel: false, ...options.events };
    this.extraEventLabels = this.buildEventLabels();
    const labelNames = [...new Set([...BASE_EVENT_LABELS, ...this.extraEventLabels.map(([name]) => name)])];
    this.events = new Counter({
      name: 'falcosecurity_falcosidekick_falco_events_total',
      help: `Falco alerts by rule and priority (bounded: at most ${MAX_EVENT_SERIES} series, then "_other"; label values cut at ${MAX_LABEL_CHARS} characters).`,
      labelNames,
      registers: [this.registry],
      collect: (): void => this.eventCounts.writeTo(this.events),
    });
    const spoolBytes = () => this.spoolBytes();
    new Gauge({
      name: 'peregrine_spool_bytes',
      help: 'Alert bytes held in the durable spool (0 when it is off).',
      registers: [this.registry],
      collect() {
        this.set(spoolBytes());
      },
    });
    const spoolDegraded = () => this.spoolDegraded();
    new Gauge({
      name: 'peregrine_spool_degraded',
      help: '1 while spool writes fail (a full or failing disk: new alerts get 503), 0 otherwise.',
      registers: [this.registry],
      collect() {
        this.set(spoolDegraded());
      },
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics(this.registry);
    const sources = this.queueSources;
    const gauge = (name: string, help: string, pick: (s: QueueStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['output'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const [output, read] of sources) this.set({ output }, pick(read()));
        },
      });
    gauge('peregrine_queue_alerts', 'Alerts waiting in the output queue (retries included).', (s) => s.queued);
    gauge('peregrine_queue_bytes', 'Bytes waiting in the output queue.', (s) => s.queuedBytes);
    gauge(
      'peregrine_queue_set_aside_alerts',
      'Of the queued alerts, those set aside: each failed alone while the destination took others, and is retried alone on its own backoff.',
      (s) => s.setAside,
    );
    gauge('peregrine_queue_oldest_age_seconds', 'Age of the oldest undelivered alert in the queue.', (s) => s.oldestAgeMs / 1000);
    gauge('peregrine_inflight_alerts', 'Alerts in requests that have not answered yet.', (s) => s.inflight);
    gauge('peregrine_output_up', '1 when the output is ok, 0 when it is retrying or failing (the state is in /healthz).', (s) => (s.state === 'ok' ? 1 : 0));
  }

  /** Reports an output's queue in the gauges; returns the undo (a reloaded instance of the same name may have replaced it since). */
  watchQueue(output: string, read: () => QueueStats): () => void {
    this.queueSources.set(output, read);
    return () => {
      if (this.queueSources.get(output) === read) this.queueSources.delete(output);
    };
  }

  countInput(source: string, status: 'accepted' | 'rejected'): void {
    this.inputs.inc({ source, status });
  }

  // Keys that are not valid label names are skipped, as falcosidekick does (it logs them).
  private buildEventLabels(): [string, (alert: Alert) => string][] {
    const { customfields, templatedfields, extralabels } = this.eventLabels;
    const out: [string, (alert: Alert) => string][] = [];
    for (const [key, value] of Object.entries(customfields)) if (PROM_LABEL.test(labelName(key))) out.push([labelName(key), () => value]);
    for (const key of templatedfields) if (PROM_LABEL.test(labelName(key))) out.push([labelName(key), (a) => fieldText(a.output_fields[key])]);
    for (const key of extralabels) {
      if (!PROM_LABEL.test(labelName(key))) continue;
      out.push([labelName(key), (a) => (typeof plainValue(a.output_fields[key]) === 'string' ? (a.output_fields[key] as string) : '')]);
    }
    return out;
  }

  /** falcosidekick's labels: priority is the number (Debug 1 … Emergency 8), priority_raw the lower-case name. */
  countEvent(alert: Alert): void {
    // Label values are alert content: cut them, or 150 alerts with 1 MiB rule names make a 157 MB /metrics.
    const hostname = cutLabel(alert.hostname || 'unknown');
    const ns = cutLabel(fieldText(alert.output_fields['k8s.ns.name']));
    const pod = this.eventLabels.podlabel ? cutLabel(fieldText(alert.output_fields['k8s.pod.name'])) : '';
    const rule = cutLabel(alert.rule);
    const source = cutLabel(alert.source);
    const { priority } = alert;
    // The key is built from strings only; the label object is made once per new series.
    let key = `${hostname}\u0000${rule}\u0000${priority}\u0000${source}\u0000${ns}\u0000${pod}`;
    const extra = this.extraEventLabels.length === 0 ? undefined : this.extraEventLabels.map(([, read]) => cutLabel(read(alert)));
    if (extra) key += `\u0000${extra.join('\u0000')}`;
    const labels = (): EventLabels => {
      const out: EventLabels = { hostname, rule, ...PRIORITY_LABELS[priority], source, k8s_ns_name: ns, k8s_pod_name: pod };
      this.extraEventLabels.forEach(([name], i) => (out[name] = (extra as string[])[i] as string));
      return out;
    };
    if (!this.eventCounts.add(key, labels, MAX_EVENT_SERIES)) {
      // Past the cap: one series per priority and source, every other label "_other".
      this.eventCounts.add(`\u0001${priority}\u0000${source}`, () => {
        const other: EventLabels = Object.fromEntries(Object.keys(labels()).map((k) => [k, '_other']));
        return Object.assign(other, PRIORITY_LABELS[priority], { source });
      });
    }
  }
}

/**
 * A label value cut to MAX_LABEL_CHARS (the key of the series is cut the same way), with any U+0000
 * as U+FFFD: the series key joins the values with U+0000, and two alerts' values must not join into
 * one key (the second would be counted under the first's labels).
 */
function cutLabel(value: string): string {
  const clean = value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  return clean.length > MAX_LABEL_CHARS ? `${clean.slice(0, MAX_LABEL_CHARS - 1)}…` : clean;
}
