// The ingest path for one alert: validate → normalise → enrich → freeze → route. Synchronous and
// allocation-light: this is Falco's throughput ceiling (docs/architecture.md#ingest, docs/performance.md).
import type { Clock } from '../dispatch/clock.ts';
import type { Router } from '../dispatch/router.ts';
import type { Enricher } from '../enrich/enrich.ts';
import { ErrorCodes, RequestError } from '../errors.ts';
import { SpoolFullError, type Spool } from '../spool/spool.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { NoiseControl } from '../noise/noise.ts';
import type { OutputWorker } from '../dispatch/worker.ts';
import type { TrailRecorder } from '../trail/recorder.ts';
import { freezeAlert, toAlert, type Alert } from '../alert/alert.ts';
import { alertBytes, serializeAlert } from '../alert/serialize.ts';
import { validateAlert } from './validate.ts';
import { checkShape, type ShapeLimits } from './shape.ts';

export type InputSource = 'requests' | 'test';

/** undefined: queued. A RequestError: rejected. A promise: being written to the spool; reply after it settles. */
export type Acceptance = undefined | RequestError | Promise<RequestError | undefined>;

export class Ingest {
  private enrich: Enricher;
  private router: Router;
  private readonly metrics: Metrics;
  private readonly clock: Clock;
  private readonly spool: Spool | undefined;
  private onAccepted: ((alert: Alert) => void) | undefined;
  private readonly noise: NoiseControl | undefined;
  private readonly trail: TrailRecorder | undefined;
  private readonly limits: ShapeLimits;
  private readonly onError: (err: unknown) => void;

  /** onAccepted: called with every accepted alert, once enriched (the debug payload log). */
  /** onError: a failure after the alert was queued (counting, the debug log): logged, never the client's problem. */
  constructor(deps: {
    enrich: Enricher;
    router: Router;
    metrics: Metrics;
    clock: Clock;
    spool?: Spool;
    noise?: NoiseControl;
    onAccepted?: (alert: Alert) => void;
    limits?: ShapeLimits;
    onError?: (err: unknown) => void;
    trail?: TrailRecorder;
  }) {
    this.onAccepted = deps.onAccepted;
    this.trail = deps.trail;
    this.limits = deps.limits ?? { maxfields: 1000 };
    this.onError = deps.onError ?? (() => {});
    this.enrich = deps.enrich;
    this.router = deps.router;
    this.metrics = deps.metrics;
    this.clock = deps.clock;
    this.spool = deps.spool;
    this.noise = deps.noise;
  }

  /**
   * Hot reload (src/reload/): the enrichment and routes of the new config, in one step. accept()
   * reads them synchronously, so each alert is enriched and routed by one config, never a mix.
   */
  switchTo(next: { enrich: Enricher; router: Router; onAccepted: ((alert: Alert) => void) | undefined }): void {
    this.enrich = next.enrich;
    this.router = next.router;
    this.onAccepted = next.onAccepted;
  }

  /** Queues the alert on every matching output (in the spool first, when it is on); returns why when it is rejected. */
  accept(value: unknown, source: InputSource, bypassFilter = false, from?: string): Acceptance {
    // Everything that can refuse or fail runs before the alert is queued or spooled.
    const shape = checkShape(value, this.limits);
    const validation = shape ? ({ ok: false, error: shape } as const) : validateAlert(value);
    if (!validation.ok) {
      this.reject(validation.error, source);
      return validation.error;
    }
    const alert = freezeAlert(this.enrich(toAlert(validation.input)));
    const json = serializeAlert(alert);
    const bytes = alertBytes(json);
    const receivedAt = this.clock.now();
    const routed = this.router.targets(alert, bypassFilter);
    // Noise control (src/noise/) holds back what it suppresses before anything is queued or spooled; /test bypasses it.
    const admitted = this.noise && !bypassFilter ? this.noise.admit(routed, alert) : routed;
    const seen = { routed, from, gated: this.noise !== undefined && !bypassFilter };
    if (admitted instanceof Promise) return admitted.then((targets) => this.queue(targets, alert, json, bytes, receivedAt, source, seen));
    return this.queue(admitted, alert, json, bytes, receivedAt, source, seen);
  }

  private queue(
    targets: readonly OutputWorker[],
    alert: Alert,
    json: string,
    bytes: number,
    receivedAt: number,
    source: InputSource,
    seen: { routed: readonly OutputWorker[]; from: string | undefined; gated: boolean },
  ): Acceptance {
    const accepted = (spoolId?: number) => {
      this.metrics.countInput(source, 'accepted');
      try {
        this.metrics.countEvent(alert);
        this.onAccepted?.(alert);
        this.trail?.received(alert, bytes, receivedAt, targets, seen.from, spoolId);
        // Routed to an output but held back there by noise control (dedupe, rate limit or a silence).
        for (const worker of seen.routed) if (!targets.includes(worker)) this.trail?.suppressed(alert, worker.name, 'noise control');
      } catch (err) {
        // The alert is queued (and spooled): a failure to count, log or trail it must not turn into a 500.
        this.onError(err);
      }
    };
    if (!this.spool || targets.length === 0) {
      accepted();
      this.router.deliver(targets, alert, bytes, receivedAt);
      return undefined;
    }
    return this.spool.append(alert, json, bytes, targets.map((w) => w.name), receivedAt).then(
      (spoolId) => {
        accepted(spoolId);
        this.router.deliver(targets, alert, bytes, receivedAt, spoolId);
        return undefined;
      },
      (err: Error) => {
        // Not acknowledged: noise control forgets it (a dedupe window it opened, a rate-limit token it took).
        if (seen.gated) this.noise?.refund(targets, alert);
        const error =
          err instanceof SpoolFullError
            ? new RequestError(ErrorCodes.SPOOL_FULL, 507, `${err.message}; raise spool.maxbytes or fix the failing output`)
            : new RequestError(ErrorCodes.SPOOL_WRITE, 503, `the alert could not be written to the spool (${err.message}); free space on the spool's disk, see /healthz "spool" and the Peregrine log`);
        this.reject(error, source);
        return error;
      },
    );
  }

  /** Items of a batch left unprocessed after too many errors: counted as rejected. */
  skipped(n: number): void {
    for (let i = 0; i < n; i++) this.metrics.countInput('requests', 'rejected');
    this.metrics.rejected.inc({ code: ErrorCodes.ALERT_INVALID }, n);
  }

  reject(error: RequestError, source: InputSource): void {
    this.metrics.countInput(source, 'rejected');
    this.metrics.rejected.inc({ code: error.code });
  }
}
