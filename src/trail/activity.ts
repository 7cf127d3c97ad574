// Per-output activity for the console's overview: counts per minute over the last hour (a ring,
// one slot per minute) and the latest errors. Fed by the trail recorder; a few integer adds per batch.
export interface MinuteCounts {
  /** Start of the minute (epoch ms). */
  at: number;
  routed: number;
  delivered: number;
  /** Failed attempts (each alert of a failed request counts once). */
  failed: number;
  deadLettered: number;
  /** Shed or dropped without delivery. */
  dropped: number;
}

export interface RecentError {
  at: number;
  detail: string;
  alerts: number;
}

const MINUTES = 60;
const RECENT_ERRORS = 20;
const MINUTE_MS = 60_000;

class OutputActivity {
  private readonly ring: MinuteCounts[] = [];
  readonly errors: RecentError[] = [];

  add(now: number, field: Exclude<keyof MinuteCounts, 'at'>, n: number): void {
    const at = now - (now % MINUTE_MS);
    let slot = this.ring[this.ring.length - 1];
    if (!slot || slot.at !== at) {
      slot = { at, routed: 0, delivered: 0, failed: 0, deadLettered: 0, dropped: 0 };
      this.ring.push(slot);
      if (this.ring.length > MINUTES) this.ring.shift();
    }
    slot[field] += n;
  }

  error(now: number, detail: string, alerts: number): void {
    this.errors.push({ at: now, detail, alerts });
    if (this.errors.length > RECENT_ERRORS) this.errors.shift();
  }

  /** The last hour, one entry per minute (minutes with nothing are zeros), oldest first. */
  minutes(now: number): MinuteCounts[] {
    const current = now - (now % MINUTE_MS);
    const byAt = new Map(this.ring.map((m) => [m.at, m]));
    const out: MinuteCounts[] = [];
    for (let i = MINUTES - 1; i >= 0; i--) {
      const at = current - i * MINUTE_MS;
      out.push({ ...(byAt.get(at) ?? { at, routed: 0, delivered: 0, failed: 0, deadLettered: 0, dropped: 0 }) });
    }
    return out;
  }
}

export class Activity {
  private readonly outputs = new Map<string, OutputActivity>();

  of(output: string): OutputActivity {
    let a = this.outputs.get(output);
    if (!a) this.outputs.set(output, (a = new OutputActivity()));
    return a;
  }

  snapshot(output: string, now: number): { minutes: MinuteCounts[]; recentErrors: RecentError[] } {
    const a = this.of(output);
    return { minutes: a.minutes(now), recentErrors: [...a.errors].reverse() };
  }
}
