// For the pipeline tests of falcosidekick's webhook-like outputs (talon, nodered, n8n, grafanaoncall):
// the body falcosidekick 2.34.1 posts for falcoAlertJson(i), and waiting until every alert of a run
// is delivered or dead-lettered.
import { metricValue, type RunningApp } from './app.ts';
import { waitFor } from './receiver.ts';

/**
 * falcosidekick's webhook body for falcoAlertJson(i): its FalcoPayload's keys in its order, evt.time
 * exact. (Go also sorts output_fields and ends the body with a newline: a difference of every
 * output, docs/falcosidekick-differences.md "The alert's JSON, byte for byte".)
 */
export function falcosidekickBody(i: number): string {
  return (
    `{"uuid":"alert-${i}","output":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)",` +
    `"priority":"Notice","rule":"Terminal shell in container","time":"2026-11-20T10:21:36.167531875Z",` +
    `"output_fields":{"container.id":"1f0a2e5c8d3b","evt.time":${1700000000167531875n + BigInt(i)},"proc.cmdline":"sh -c id","k8s.ns.name":"default","k8s.pod.name":"web-7d9","user.name":"root","proc.aname[2]":null},` +
    `"source":"syscall","tags":["T1059","container","mitre_execution","shell"],"hostname":"node-1"}`
  );
}

/** `Basic base64(user:password)`, as Go's SetBasicAuth writes it. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Retries fast enough for a test on the real clock. */
export const FAST_RETRY = '  retry:\n    initialbackoffms: 20\n    maxbackoffms: 100\n';

/** Waits until `count` alerts of `output` are delivered or dead-lettered. */
export async function settled(app: RunningApp, output: string, count: number): Promise<void> {
  const done = async () => (await metricValue(app, 'peregrine_delivered_total', { output })) + (await metricValue(app, 'peregrine_dead_lettered_total', { output })) === count;
  await waitFor(done, 15_000, `${count} ${output} alerts delivered or dead-lettered`);
}
