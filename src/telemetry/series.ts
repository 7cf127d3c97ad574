// Counters and histograms for the per-alert and per-send paths, shown on /metrics by prom-client's
// registry exactly as its own Counter and Histogram show them.
//
// prom-client's inc() and observe() check the label object against the label names, hash it (keys
// sorted, joined) and, for a histogram, find the bucket by its bound used as a property name. A
// Falco-like alert with two outputs made nine such calls (ingest's duration, and per send: its
// duration, its size, delivered and outputs_total): 5 % of the daemon's main thread in a profile,
// ~1.5 µs a call amid the rest of the work. Here a series is found by its label values, one Map per
// label, and a bucket by its index (bench/metrics.ts times both). The text is the same:
// test/unit/telemetry/series.test.ts renders both for the same calls and compares.
import type * as Prom from 'prom-client';

type Labels<L extends string> = Partial<Record<L, string | number>>;

/** One line of a metric as prom-client's registry renders it: `labels` first, then `sharedLabels` (a series' own). */
interface Value {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface MetricObject {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: Value[];
}

interface Config<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  registers: Prom.Registry[];
}

/** Series by the value of each label in turn: a Map of Maps, the last one holding the series. */
type Level<S> = Map<string, Level<S> | S>;

/** A label value as prom-client keys it: `{ output: 1 }` and `{ output: '1' }` are one series. */
const labelText = (value: string | number | undefined): string => (typeof value === 'string' ? value : String(value));

/** The series of one metric, by their label values; what both kinds share. */
abstract class SeriesMetric<L extends string, S extends { labels: Labels<L> }> {
  readonly name: string;
  readonly help: string;
  abstract readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum';
  private readonly labelNames: readonly L[];
  protected readonly unlabelled: boolean;
  /** Every series, in the order they were made (prom-client's order on /metrics). */
  private series: S[] = [];
  private tree: Level<S> = new Map();

  constructor(config: Config<L>) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames ?? [];
    this.unlabelled = this.labelNames.length === 0;
    // The registry reads any object with name, help, type and get(); prom-client's types name its own classes.
    for (const registry of config.registers) registry.registerMetric(this as unknown as Prom.Metric);
  }

  protected abstract create(labels: Labels<L>): S;
  protected abstract values(series: S): Value[];

  /**
   * The series for these label values, made on first use (its labels copied, as prom-client keeps
   * them). Found through one Map per label, by the values themselves: no key is built per call.
   */
  protected seriesOf(labels: Labels<L>): S {
    const names = this.labelNames;
    let node = this.tree;
    for (let i = 0; i < names.length - 1; i++) {
      const value = labelText(labels[names[i] as L]);
      let next = node.get(value) as Level<S> | undefined;
      if (next === undefined) node.set(value, (next = new Map()));
      node = next;
    }
    const last = names.length === 0 ? '' : labelText(labels[names[names.length - 1] as L]);
    let series = node.get(last) as S | undefined;
    if (series === undefined) {
      series = this.create({ ...labels });
      node.set(last, series);
      this.series.push(series);
    }
    return series;
  }

  /** What prom-client's registry renders (Registry#getMetricsAsString). */
  getForPromString(): MetricObject {
    const values: Value[] = [];
    for (const series of this.series) values.push(...this.values(series));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** As prom-client's get(): each value's labels in one object (getMetricsAsJSON, tests). */
  async get(): Promise<MetricObject> {
    const metric = this.getForPromString();
    const values = metric.values.map(({ sharedLabels, ...value }) => ({ ...value, labels: { ...value.labels, ...sharedLabels } }));
    return { ...metric, values };
  }

  reset(): void {
    this.series = [];
    this.tree = new Map();
  }
}

interface CounterSeries<L extends string> {
  labels: Labels<L>;
  value: number;
}

export class FastCounter<L extends string = string> extends SeriesMetric<L, CounterSeries<L>> {
  readonly type = 'counter';

  constructor(config: Config<L>) {
    super(config);
    // prom-client shows a counter without labels as 0 before its first inc.
    if (this.unlabelled) this.seriesOf({});
  }

  /** Forgets every series; one without labels shows 0 again (prom-client's reset()). */
  override reset(): void {
    super.reset();
    if (this.unlabelled) this.seriesOf({});
  }

  /** inc(labels, value = 1), or inc(value = 1) for a counter without labels (as prom-client's). */
  inc(labels?: Labels<L> | number, value = 1): void {
    if (labels === undefined || typeof labels === 'number') return this.inc({}, labels ?? 1);
    if (!Number.isFinite(value)) throw new TypeError(`${this.name}: value is not a valid number: ${value}`);
    if (value < 0) throw new Error(`${this.name}: it is not possible to decrease a counter`);
    this.seriesOf(labels).value += value;
  }

  /** The counter for these labels (prom-client's labels(object)): its series shows once it is counted. */
  labels(labels: Labels<L>): { inc(value?: number): void } {
    const bound = { ...labels };
    return { inc: (value = 1) => this.inc(bound, value) };
  }

  protected create(labels: Labels<L>): CounterSeries<L> {
    return { labels, value: 0 };
  }

  protected values(series: CounterSeries<L>): Value[] {
    return [{ labels: series.labels as Value['labels'], value: series.value }];
  }
}

interface HistogramSeries<L extends string> {
  labels: Labels<L>;
  /** Observations per bucket (not cumulative); past the last bound they count only in `count`. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

export class FastHistogram<L extends string = string> extends SeriesMetric<L, HistogramSeries<L>> {
  readonly type = 'histogram';
  private readonly bounds: readonly number[];

  constructor(config: Config<L> & { buckets: readonly number[] }) {
    super(config);
    this.bounds = [...config.buckets].sort((a, b) => a - b);
    // As prom-client's: shown at 0 from the start when it has no labels (but not again after a reset).
    if (this.unlabelled) this.seriesOf({});
  }

  /** observe(labels, value), or observe(value) for a histogram without labels (as prom-client's). */
  observe(labels: Labels<L> | number, value?: number): void {
    const v = typeof labels === 'number' ? labels : (value as number);
    if (!Number.isFinite(v)) throw new TypeError(`${this.name}: value is not a valid number: ${v}`);
    const series = this.seriesOf(typeof labels === 'number' ? {} : labels);
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && v > (bounds[i] as number)) i++;
    if (i < bounds.length) (series.buckets[i] as number)++;
    series.sum += v;
    series.count++;
  }

  protected create(labels: Labels<L>): HistogramSeries<L> {
    return { labels, buckets: new Float64Array(this.bounds.length), sum: 0, count: 0 };
  }

  // prom-client's order and form: cumulative buckets with `le` (then the series' labels), +Inf, _sum, _count.
  protected values(series: HistogramSeries<L>): Value[] {
    const bucket = `${this.name}_bucket`;
    const sharedLabels = series.labels as Value['labels'];
    const out: Value[] = [];
    let acc = 0;
    this.bounds.forEach((le, i) => {
      acc += series.buckets[i] as number;
      out.push({ labels: { le }, sharedLabels, value: acc, metricName: bucket });
    });
    out.push(
      { labels: { le: '+Inf' }, sharedLabels, value: series.count, metricName: bucket },
      { labels: {}, sharedLabels, value: series.sum, metricName: `${this.name}_sum` },
      { labels: {}, sharedLabels, value: series.count, metricName: `${this.name}_count` },
    );
    return out;
  }
}
