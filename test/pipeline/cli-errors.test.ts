// The command line's mistakes and failures (peregrine dlq / explain / route / silence): each one a
// message and an exit status, never a stack trace, and never the wrong spool.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { serializeAlert } from '../../src/alert/serialize.ts';
import { SpoolDeadLetterStore } from '../../src/spool/dead-letters.ts';
import { recoverSpool } from '../../src/spool/recover.ts';
import { Spool } from '../../src/spool/spool.ts';
import { daemonEnv, nodeBin, repoDir } from '../support/daemon.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { alert } from '../support/worker-harness.ts';

function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(nodeBin, [join(repoDir, 'src/main.ts'), ...args], { cwd, env: daemonEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const log = pino({ level: 'silent' });

/** A spool in `dir` with `n` dead letters of `output`. */
function seedDeadLetters(dir: string, output: string, n: number): void {
  const s = Spool.open({ dir, maxbytes: 1 << 24, fsync: 'normal' }, log, { writer: 'inline' });
  for (let i = 0; i < n; i++) {
    const a = alert();
    const json = serializeAlert(a);
    s.deadLetter(output, undefined, a, json, 'rejected', 'HTTP 400: bad mapping', 1, Date.now());
  }
  s.close();
}

function setup(yamlExtra = ''): { cwd: string; spoolDir: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'peregrine-cli-'));
  const spoolDir = join(cwd, 'spool');
  const file = join(cwd, 'peregrine.yaml');
  writeFileSync(file, `spool:\n  dir: ${spoolDir}\nstdout:\n  enabled: true\n${yamlExtra}`);
  return { cwd, spoolDir, file };
}

const STACK = /^\s+at .+\(?(file|node):/m;

describe('peregrine dlq: --config=FILE', () => {
  it('reads the file given as --config=FILE (parseArgs accepts it) rather than the default ./data spool', async () => {
    const { cwd, spoolDir, file } = setup();
    seedDeadLetters(spoolDir, 'stdout', 2);
    const r = await cli(['dlq', 'list', `--config=${file}`], cwd);
    expect(r.stderr).toContain('2 dead letter(s) shown, 2 in the store');
    // and it must not have created a spool of the embedded default in the working directory
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  }, 30_000);
});

describe('no stack trace for bad command-line input', () => {
  it.each([
    [['dlq', 'list', '--bogus']],
    [['dlq', 'list', '--limit', 'abc']],
    [['explain', 'some-uuid', '--bogus']],
    [['route', '--bogus']],
  ])('%j: a one-line message and exit status 2', async (args) => {
    const { cwd, file } = setup();
    const r = await cli([...args, '-c', file], cwd);
    expect(r.stderr + r.stdout).not.toMatch(STACK);
    expect(r.code).toBe(2);
  }, 30_000);

  it('dlq list on a spool.dir that is a file says so without a stack trace', async () => {
    const { cwd, file } = setup();
    const cfg = join(cwd, 'bad.yaml');
    writeFileSync(cfg, `spool:\n  dir: ${file}\n`);
    const r = await cli(['dlq', 'list', '-c', cfg], cwd);
    expect(r.stderr + r.stdout).toContain('is a file, not a folder');
    expect(r.stderr + r.stdout).not.toMatch(STACK);
  }, 30_000);
});

describe('results on stdout, mistakes on stderr', () => {
  it('a listing\'s rows are all of stdout (its count on stderr); no spool, no such id and a bad --since are stderr only', async () => {
    const { cwd, spoolDir, file } = setup();
    seedDeadLetters(spoolDir, 'stdout', 1);
    const list = await cli(['dlq', 'list', '-c', file], cwd);
    expect(list.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^\d+\t.*\tstdout\t/)]);
    expect(list.stderr).toBe('1 dead letter(s) shown, 1 in the store\n');
    for (const [args, said] of [
      [['dlq', 'show', '--id', '99'], 'no dead letter with id 99'],
      [['dlq', 'list', '--since', 'yesterday'], 'is not a time'],
      [['explain', 'no-such-uuid'], 'no delivery trail in'],
    ] as const) {
      const r = await cli([...args, '-c', file], cwd);
      expect(r.stderr, args.join(' ')).toContain(said);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).not.toBe(0);
    }
    const cfg = join(cwd, 'elsewhere.yaml');
    writeFileSync(cfg, `spool:\n  dir: ${join(cwd, 'nowhere')}\n`);
    const none = await cli(['dlq', 'list', '-c', cfg], cwd);
    expect(none.stderr).toContain('no spool in');
    expect(none.stdout).toBe('');
  }, 60_000);
});

describe('dlq --id that is not a number', () => {
  it('is refused (exit 2) as the daemon API refuses it, not treated as NaN matching nothing', async () => {
    const { cwd, spoolDir, file } = setup();
    seedDeadLetters(spoolDir, 'stdout', 1);
    const purge = await cli(['dlq', 'purge', '--id', 'abc', '-c', file], cwd);
    expect(purge.code).toBe(2);
  }, 30_000);
});

describe('offline dlq replay of an output no longer configured', () => {
  it('does not claim to queue them (they bounce back as output_removed and are counted dead-lettered again)', async () => {
    const { cwd, spoolDir, file } = setup();
    seedDeadLetters(spoolDir, 'gone', 2);
    const r = await cli(['dlq', 'replay', '-c', file], cwd);
    // what the CLI says
    const claimed = /(\d+) dead letter\(s\) put back/.exec(r.stdout)?.[1];
    // what the next start does with them (the config has only stdout)
    const s = Spool.open({ dir: spoolDir, maxbytes: 1 << 24, fsync: 'normal' }, log, { writer: 'inline' });
    const removed: Record<string, number> = {};
    recoverSpool(s, [], new SpoolDeadLetterStore(s), new FakeClock(), log, (o, n) => (removed[o] = (removed[o] ?? 0) + n), () => {});
    const reasons = s.deadLetters({}).map((d) => d.reason);
    s.close();
    // Either the CLI refuses like POST /api/v1/deadletters/replay ("not configured"), or the letters
    // keep their reason (before: "2 put back … sent at the next start", then both back as output_removed).
    expect({ claimed, reasons, removed }).toEqual({ claimed: '0', reasons: ['rejected', 'rejected'], removed: {} });
  }, 30_000);
});

describe('peregrine silence', () => {
  it('a reply that is not JSON is not reported as "cannot reach the daemon"', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<!doctype html><p>not here</p>');
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    const port = (server.address() as { port: number }).port;
    try {
      const { cwd, file } = setup();
      const r = await cli(['silence', 'list', '-c', file, '--url', `http://127.0.0.1:${port}`], cwd);
      expect(r.stdout + r.stderr).not.toContain('cannot reach the daemon');
      expect(r.stdout + r.stderr).toContain('404');
    } finally {
      server.close();
    }
  }, 30_000);
});

describe('dlq / explain against something on the console port that is not the daemon', () => {
  it('says what answered, without a stack trace', async () => {
    const { createServer: tcp } = await import('node:net');
    const server = tcp((s) => s.on('data', () => s.end('garbage\r\n\r\n')));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    const port = (server.address() as { port: number }).port;
    try {
      const { cwd, file } = setup(`listenaddress: 127.0.0.1\nlistenport: ${port}\nconsole:\n  enabled: true\n  token: admin-token-1234\n`);
      const r = await cli(['dlq', 'replay', '-c', file], cwd);
      expect(r.stderr + r.stdout).not.toMatch(STACK);
      expect(r.code).toBe(1);
    } finally {
      server.close();
    }
  }, 30_000);
});
