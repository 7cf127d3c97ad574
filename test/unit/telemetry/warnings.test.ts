// Process warnings reach the JSON log instead of Node's stderr text; kafkajs' known negative-timeout
// warning is demoted to debug, the same warning from elsewhere is not.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/telemetry/logger.ts';
import { logProcessWarnings } from '../../../src/telemetry/warnings.ts';

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

const nextWarning = () => new Promise<void>((resolve) => process.once('warning', () => setImmediate(resolve)));

describe('logProcessWarnings', () => {
  let undo: (() => void) | undefined;
  afterEach(() => undo?.());

  it('logs a process warning as JSON at warn, with its name and code, and removes Node\'s printer', async () => {
    const { lines, stream } = capture();
    const before = process.listeners('warning').length;
    undo = logProcessWarnings(createLogger('info', stream));
    expect(process.listeners('warning')).toHaveLength(1);
    const seen = nextWarning();
    process.emitWarning('something is deprecated', { type: 'DeprecationWarning', code: 'DEP0999' });
    await seen;
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', warning: 'DeprecationWarning', code: 'DEP0999', msg: 'something is deprecated' }));
    undo();
    undo = undefined;
    expect(process.listeners('warning')).toHaveLength(before);
  });

  it('demotes kafkajs\' negative-timeout warning to debug, but not the same warning from our code', async () => {
    const { lines, stream } = capture();
    undo = logProcessWarnings(createLogger('info', stream));
    const fromKafkajs = Object.assign(new Error('-1795420237260 is a negative number.'), { name: 'TimeoutNegativeWarning' });
    fromKafkajs.stack = `TimeoutNegativeWarning: -1795420237260 is a negative number.\n    at RequestQueue.scheduleCheckPendingRequests (/app/node_modules/kafkajs/src/network/requestQueue/index.js:317:37)`;
    let seen = nextWarning();
    process.emitWarning(fromKafkajs);
    await seen;
    const ours = Object.assign(new Error('-5 is a negative number.'), { name: 'TimeoutNegativeWarning' });
    ours.stack = 'TimeoutNegativeWarning: -5 is a negative number.\n    at OutputWorker.pump (/app/src/dispatch/worker.ts:240:1)';
    seen = nextWarning();
    process.emitWarning(ours);
    await seen;
    expect(lines.map((l) => l.msg)).toEqual(['-5 is a negative number.']); // info level: the debug line is not written
    expect(lines[0]).toMatchObject({ level: 'warn', warning: 'TimeoutNegativeWarning' });
  });
});
