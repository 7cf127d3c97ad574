// One attempt at one batch: the plugin's sendBatch under the output's timeoutms deadline (a timer on
// the injected clock aborts it), a thrown error taken as a retry, the reasons scrubbed of secrets,
// timed in the metrics, judged per alert (retry-policy.ts) and written to the delivery trail. What
// the verdict then does to the queue is the worker's business. attempt() never rejects.
import type { AnyOutputPlugin } from '../plugin/types.ts';
import type { DeliverySettings, WorkerDeps } from './delivery.ts';
import { errorMessage } from './errors.ts';
import type { Evidence } from './evidence.ts';
import type { Loaded } from './read-back.ts';
import { resultKind, type SendResult } from './result.ts';
import { judge, type Verdict } from './retry-policy.ts';
import { scrubResult, type Scrubber } from './scrub.ts';

/** How long (real ms) after its timeout's abort a send that has not settled is given up on (a plugin that ignores its signal). */
export const ABORT_GRACE_MS = 5000;

/** What a send needs of its output: the plugin, its options, the delivery settings and the secret scrubber. */
interface SenderOutput {
  plugin: AnyOutputPlugin;
  options: Record<string, unknown>;
  settings: DeliverySettings;
  scrub: Scrubber;
}

export class Sender {
  private readonly name: string;
  private readonly output: SenderOutput;
  private readonly deps: WorkerDeps;

  constructor(name: string, output: SenderOutput, deps: WorkerDeps) {
    this.name = name;
    this.output = output;
    this.deps = deps;
  }

  /**
   * Sends `batch` with the connected `client`; `controller` (from in-flight.ts) aborts it on timeout
   * or shutdown. `evidence`: the output's, read when the attempt is judged (judge()).
   */
  async attempt(batch: readonly Loaded[], client: unknown, controller: AbortController, evidence: Evidence): Promise<Verdict> {
    const { clock, metrics, log } = this.deps;
    const { plugin, options, settings, scrub } = this.output;
    const startedAt = clock.now();
    // A plugin must settle once its signal aborts; one that does not is given up on a grace after its
    // timeout (real time: unref'd), so a stuck client cannot hold its output's request slot or a
    // reload's handover for ever. Its late answer is ignored.
    let giveUp: (() => void) | undefined;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    let givenUp = false;
    const grace = this.deps.abortGraceMs ?? ABORT_GRACE_MS;
    const timer = clock.setTimeout(() => {
      controller.abort(new Error(`timed out after ${settings.timeoutms} ms`));
      graceTimer = setTimeout(() => giveUp?.(), grace);
      graceTimer.unref();
    }, settings.timeoutms);
    const started = performance.now();
    let result: SendResult;
    try {
      const derive = this.deps.derive;
      const sending = plugin.sendBatch(derive ? batch.map((b) => derive(b.alert)) : batch.map((b) => b.alert), {
        options,
        client,
        signal: controller.signal,
        log,
        clock,
      });
      result = await new Promise<SendResult>((resolve, reject) => {
        giveUp = () => {
          givenUp = true;
          reject(new Error(`the send did not end within ${grace} ms of its timeout`));
        };
        sending.then(resolve, reject);
      });
    } catch (err) {
      if (givenUp) log.warn({ output: this.name, err: errorMessage(err) }, 'the output ignored its timeout: its alerts go again (a duplicate is possible)');
      result = { kind: 'retry', reason: givenUp ? `${errorMessage(err)} (timed out after ${settings.timeoutms} ms)` : controller.signal.aborted ? errorMessage(controller.signal.reason) : errorMessage(err) };
    } finally {
      clock.clearTimeout(timer);
      clearTimeout(graceTimer);
    }
    const entries = batch.map((b) => b.entry);
    try {
      result = scrubResult(result, scrub);
      const latencyMs = performance.now() - started;
      metrics.sendDuration.observe({ output: this.name, outcome: resultKind(result) }, latencyMs / 1000);
      metrics.batchSize.observe({ output: this.name }, batch.length);
      const verdict = judge(entries, result, settings.retry, clock.now(), evidence);
      this.deps.trail?.attempted(this.name, entries, result, verdict, startedAt, latencyMs);
      return verdict;
    } catch (err) {
      // A fault in our own bookkeeping after the send must not reject: the worker does not await
      // its sends, so the rejection would go unhandled and the daemon exit with its queues. The
      // batch is tried again, as after a failed send (the destination may have it: at least once).
      log.error({ output: this.name, err: errorMessage(err) }, 'internal error after a send: its alerts are queued again');
      return judge(entries, { kind: 'retry', reason: 'internal error after the send (see the log)' }, settings.retry, clock.now(), evidence);
    }
  }
}
