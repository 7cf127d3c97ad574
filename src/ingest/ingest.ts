// The ingest path for one alert: validate → normalise → enrich → freeze → route. Synchronous and
// allocation-light: this is Falco's throughput ceiling (DESIGN §1, §8).
import type { Clock } from '../dispatch/clock.ts';
import type { Router } from '../dispatch/router.ts';
import type { Enricher } from '../enrich/enrich.ts';
import { ErrorCodes, RequestError } from '../errors.ts';
import { SpoolFullError, type Spool } from '../spool/spool.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { TrailRecorder } from '../trail/recorder.ts';
import { freezeAlert, toAlert, type Alert } from '../alert/alert.ts';
import { serializeAlert } from '../alert/serialize.ts';
import { validateAlert } from './validate.ts';

export type InputSource = 'requests' | 'test';

/** undefined: queued. A RequestError: rejected. A promise: being written to the spool; reply after it settles. */
export type Acceptance = undefined | RequestError | Promise<RequestError | undefined>;

export class Ingest {
  private readonly enrich: Enricher;
  private readonly router: Router;
  private readonly metrics: Metrics;
  private readonly clock: Clock;
  private readonly spool: Spool | undefined;
  private readonly onAccepted: ((alert: Alert) => void) | undefined;
  private readonly trail: TrailRecorder | undefined;

  /** onAccepted: called with every accepted alert, once enriched (the debug payload log). */
  constructor(deps: { enrich: Enricher; router: Router; metrics: Metrics; clock: Clock; spool?: Spool; onAccepted?: (alert: Alert) => void; trail?: TrailRecorder }) {
    this.onAccepted = deps.onAccepted;
    this.trail = deps.trail;
    this.enrich = deps.enrich;
    this.router = deps.router;
    this.metrics = deps.metrics;
    this.clock = deps.clock;
    this.spool = deps.spool;
  }

  /** Queues the alert on every matching output (in the spool first, when it is on); returns why when it is rejected. */
  accept(value: unknown, source: InputSource, bypassFilter = false, from?: string): Acceptance {
    const validation = validateAlert(value);
    if (!validation.ok) {
      this.reject(validation.error, source);
      return validation.error;
    }
    const alert = freezeAlert(this.enrich(toAlert(validation.input)));
    const json = serializeAlert(alert);
    const bytes = json.length;
    const receivedAt = this.clock.now();
    const targets = this.router.targets(alert, bypassFilter);
    const accepted = (spoolId?: number) => {
      this.metrics.countInput(source, 'accepted');
      this.metrics.countEvent(alert);
      this.onAccepted?.(alert);
      this.trail?.received(alert, bytes, receivedAt, targets, from, spoolId);
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
        const error =
          err instanceof SpoolFullError
            ? new RequestError(ErrorCodes.SPOOL_FULL, 507, `${err.message}; raise spool.maxbytes or fix the failing output`)
            : new RequestError(ErrorCodes.SPOOL_WRITE, 503, 'the alert could not be written to the spool; see the Peregrine log');
        this.reject(error, source);
        return error;
      },
    );
  }

  reject(error: RequestError, source: InputSource): void {
    this.metrics.countInput(source, 'rejected');
    this.metrics.rejected.inc({ code: error.code });
  }
}
