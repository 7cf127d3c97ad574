// The lines falcosidekick 2.34.1 sends per alert (captured from it on 127.0.0.1), and the packing.
import { describe, expect, it } from 'vitest';
import { priorityAlerts, testAlerts } from '../../test/support/alerts.ts';
import { alertLines, DATAGRAM_BYTES, packDatagrams } from './lines.ts';

describe('statsd lines', () => {
  it("falcosidekick's three counters per alert, namespace first, priority as a tag", () => {
    const [alert] = testAlerts(1);
    expect(alertLines(alert as never, { namespace: 'falcosidekick.', tags: [] })).toEqual([
      'falcosidekick.total:1|c',
      'falcosidekick.inputs.requests.accepted:1|c',
      'falcosidekick.falco.accepted:1|c|#priority:Notice',
    ]);
  });

  it('constant tags come first on every line (DOGSTATSD_TAGS=env:prod,team:sec)', () => {
    const [alert] = testAlerts(1, {}, 'Critical');
    expect(alertLines(alert as never, { namespace: 'falcosidekick.', tags: ['env:prod', 'team:sec'] })).toEqual([
      'falcosidekick.total:1|c|#env:prod,team:sec',
      'falcosidekick.inputs.requests.accepted:1|c|#env:prod,team:sec',
      'falcosidekick.falco.accepted:1|c|#env:prod,team:sec,priority:Critical',
    ]);
  });

  it('every priority in its canonical spelling; an empty namespace', () => {
    expect(priorityAlerts().map((a) => alertLines(a, { namespace: '', tags: [] })[2])).toEqual(
      ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'].map((p) => `falco.accepted:1|c|#priority:${p}`),
    );
  });

  it('packs whole lines into datagrams of at most 1432 bytes, each line ending with a newline, in order', () => {
    const lines = testAlerts(50).flatMap((a) => alertLines(a, { namespace: 'falcosidekick.', tags: ['env:prod'] }));
    const datagrams = packDatagrams(lines);
    expect(datagrams.length).toBeGreaterThan(1);
    for (const d of datagrams) {
      expect(d.length).toBeLessThanOrEqual(DATAGRAM_BYTES);
      expect(d.toString().endsWith('\n')).toBe(true);
    }
    expect(datagrams.map((d) => d.toString()).join('').split('\n').slice(0, -1)).toEqual(lines);
    // Full: the next line would not have fit.
    expect(datagrams[0]!.length + Buffer.byteLength(`${lines[0]}\n`)).toBeGreaterThan(DATAGRAM_BYTES);
  });

  it('a line longer than a datagram goes alone', () => {
    const long = `x${'y'.repeat(2000)}:1|c`;
    expect(packDatagrams(['a:1|c', long, 'b:1|c']).map((d) => d.toString())).toEqual(['a:1|c\n', `${long}\n`, 'b:1|c\n']);
  });
});
