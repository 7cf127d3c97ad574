// The types a worker is built from: its resolved settings, where it records progress when the
// spool is on, what it needs from the app, and what it reports to /healthz.
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import type { ConnectContext } from '../plugin/types.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { TrailRecorder } from '../trail/recorder.ts';
import type { BatchSettings } from './batcher.ts';
import type { Clock } from './clock.ts';
import type { DeadLetterStore } from './dead-letter.ts';
import type { OutputState } from './output-health.ts';
import type { SendRate } from './rate-limiter.ts';

/** The resolved core settings of one output (plugin defaults applied). */
export interface DeliverySettings {
  timeoutms: number;
  maxconcurrency: number;
  retry: { initialbackoffms: number; maxbackoffms: number; maxattempts: number; maxagems: number; probems: number };
  queue: { maxalerts: number; maxbytes: number };
  batch: BatchSettings;
  sendrate: SendRate;
}

/** Where a worker records progress when the durable spool is on (see src/spool/). */
export interface DeliveryJournal {
  /** Delivered, or dropped for good: the spool forgets the delivery. */
  complete(output: string, spoolId: number): void;
  /** Will be retried: attempts and the next-retry time survive a restart. */
  reschedule(output: string, spoolId: number, attempts: number, nextAt: number): void;
  /** The alert's JSON as stored, for a queued entry held compact; undefined when it is not there. */
  json(spoolId: number): string | undefined;
}

export interface WorkerDeps {
  clock: Clock;
  journal?: DeliveryJournal;
  metrics: Metrics;
  log: Logger;
  deadLetters: DeadLetterStore;
  /** The delivery trail (console, `peregrine explain`); absent when it is off. */
  trail?: TrailRecorder;
  connect: Omit<ConnectContext, 'name' | 'log' | 'timeoutMs' | 'concurrency' | 'clock'>;
  random?: () => number;
  /** How often healthcheck() runs while the output is up (ms). */
  healthIntervalMs?: number;
  /**
   * Real ms after a send's timeout that a send still running is given up on (sender.ts; default
   * 5,000). Real time, not the clock's: it measures a client that ignores its signal.
   */
  abortGraceMs?: number;
  /**
   * The instance's enrichment overlay (its own customfields/templatedfields), applied to each alert
   * as it is sent. Queue, spool and dead-letter store hold the shared alert, so a restart or a
   * replay gets the overlay again from the config of the day.
   */
  derive?: (alert: Alert) => Alert;
}

export interface OutputHealth {
  state: OutputState;
  queued: number;
  queuedBytes: number;
  /** Of the queued, those set aside (set-aside.ts): each failed alone while the destination took others. */
  setAside: number;
  inflight: number;
  oldestAgeMs: number;
  consecutiveFailures: number;
  /** Why the output is not ok (no secrets: reasons come from classifications and error messages). */
  lastError?: string;
  lastErrorAt?: string;
  delivered: number;
  deadLettered: number;
  dropped: number;
}
