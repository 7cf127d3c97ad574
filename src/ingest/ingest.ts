// The ingest path for one alert: validate → normalise → enrich → freeze → route. Synchronous and
// allocation-light: this is Falco's throughput ceiling (DESIGN §1, §8).
import type { Clock } from '../dispatch/clock.ts';
import type { Router } from '../dispatch/router.ts';
import type { Enricher } from '../enrich/enrich.ts';
import type { RequestError } from '../errors.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { freezeAlert, toAlert } from './alert.ts';
import { serializeAlert } from './serialize.ts';
import { validateAlert } from './validate.ts';

export type InputSource = 'requestbody' | 'test';

export class Ingest {
  private readonly enrich: Enricher;
  private readonly router: Router;
  private readonly metrics: Metrics;
  private readonly clock: Clock;

  constructor(deps: { enrich: Enricher; router: Router; metrics: Metrics; clock: Clock }) {
    this.enrich = deps.enrich;
    this.router = deps.router;
    this.metrics = deps.metrics;
    this.clock = deps.clock;
  }

  /** Queues the alert on every matching output; returns the reason when it is rejected. */
  accept(value: unknown, source: InputSource, bypassFilter = false): RequestError | undefined {
    const validation = validateAlert(value);
    if (!validation.ok) {
      this.reject(validation.error, source);
      return validation.error;
    }
    const alert = freezeAlert(this.enrich(toAlert(validation.input)));
    const bytes = serializeAlert(alert).length;
    this.metrics.inputs.inc({ source, status: 'accepted' });
    this.metrics.countEvent(alert, validation.input.priority);
    this.router.route(alert, bytes, this.clock.now(), bypassFilter);
    return undefined;
  }

  reject(error: RequestError, source: InputSource): void {
    this.metrics.inputs.inc({ source, status: 'rejected' });
    this.metrics.rejected.inc({ code: error.code });
  }
}
