// What an output sends next, each time it may start a request: nothing yet, a probe, or a batch.
// A batch waits until it is full or its flush time comes (batcher.ts), unless a drain sends
// everything now. A paused output sends only probes, when the pacer allows (pacer.ts). When the
// oldest alert failed (alone, or in a batch that failed whole) and no request started since has
// delivered, another alert tells whether the destination is up (set-aside.ts), as a probe; a
// request in flight will tell too.
import type { Batcher } from './batcher.ts';
import type { Clock } from './clock.ts';
import type { DeliverySettings } from './delivery.ts';
import type { Evidence } from './evidence.ts';
import type { InFlight } from './in-flight.ts';
import type { Pacer } from './pacer.ts';
import type { AlertQueue } from './queue.ts';
import type { QueueEntry } from './queue-entry.ts';
import { probeRank, type SetAside } from './set-aside.ts';

export type Next = 'wait' | 'probe' | 'batch';

export interface NextSendDeps {
  batch: DeliverySettings['batch'];
  clock: Clock;
  queue: AlertQueue;
  batcher: Batcher;
  pacer: Pacer;
  evidence: Evidence;
  aside: SetAside;
  inFlight: InFlight;
}

export class NextSend {
  private readonly deps: NextSendDeps;

  constructor(deps: NextSendDeps) {
    this.deps = deps;
  }

  /** What to send now, with a request slot free and alerts queued. `draining`: send what is queued now. */
  choose(draining: boolean): Next {
    const { clock, queue, pacer, evidence, aside, inFlight } = this.deps;
    if (!draining && pacer.pausedUntil <= clock.now() && !this.batchReady()) return 'wait';
    const unproven = evidence.anyFailed && aside.unproven(queue.head());
    if (unproven && inFlight.requests > 0) return 'wait';
    const permit = pacer.permit(inFlight.requests === 0);
    if (permit === 'wait') return 'wait';
    // A probe: one alert, alone in flight, whose success releases the whole queue (pacer.ts).
    return permit === 'probe' || unproven ? 'probe' : 'batch';
  }

  /**
   * Takes the alerts of the request `choose` named. A probe is the oldest alert that has not failed
   * alone (set-aside.ts), looking 8 deep; when all of those have, the one that failed alone longest
   * ago. Probes thus take turns: one alert that always fails (its fault unseen during an outage)
   * cannot be every probe after it, holding the output paused while the alerts that failed beside
   * it wait. An alert set aside before that fails as a probe is set aside again at once, which makes
   * room for the others.
   */
  take(next: 'probe' | 'batch'): QueueEntry[] {
    const { queue, batcher, batch } = this.deps;
    if (next === 'probe') return queue.takeLowest(probeRank, 8);
    batcher.taken();
    return queue.take(batch.maxevents, batch.maxbytes);
  }

  /**
   * A batch is full (batcher.ts), or as full as it may be: the oldest alert's last request failed
   * whole, and its next goes at once, capped (retry-policy.ts), without waiting for the flush.
   */
  private batchReady(): boolean {
    const { queue, batcher } = this.deps;
    if (batcher.ready(queue.size, queue.bytes)) return true;
    const cap = queue.head()?.maxBatch ?? 0;
    return cap > 0 && queue.size >= cap;
  }
}
