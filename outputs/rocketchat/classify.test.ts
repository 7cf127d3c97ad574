// Rocket.Chat's answers, and the wait its rate window asks for.
import { describe, expect, it } from 'vitest';
import { classifyRocketchat, windowWait } from './classify.ts';

const NOW = 1_800_000_000_000;
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, text: JSON.stringify(body), headers });

describe('classifyRocketchat', () => {
  it('200 success is delivered', () => {
    expect(classifyRocketchat(answer(200, { success: true }), NOW)).toEqual({ scope: 'message', outcome: { kind: 'ok' } });
  });

  it('invalid-channel: the integration\'s channel is gone, this message and the rest are dead-lettered', () => {
    expect(classifyRocketchat(answer(400, { success: false, error: 'invalid-channel' }), NOW)).toMatchObject({ scope: 'rest', outcome: { kind: 'fail', reason: expect.stringContaining('set a working rocketchat.webhookurl') } });
  });

  it('another 400 refuses this message only', () => {
    expect(classifyRocketchat(answer(400, { success: false, error: 'error-running-script' }), NOW)).toEqual({
      scope: 'message',
      outcome: { kind: 'fail', reason: 'Rocket.Chat answered 400 error-running-script: Rocket.Chat refused this message' },
    });
  });

  it('429 waits until the rate window resets (X-RateLimit-Reset, epoch ms), at most a minute', () => {
    const limited = (reset: number) => answer(429, { success: false, error: 'Error, too many requests. Please slow down. You must wait 42 seconds before trying this endpoint again. [error-too-many-requests]' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    expect(classifyRocketchat(limited(NOW + 42_000), NOW)).toMatchObject({ scope: 'rest', outcome: { kind: 'retry', afterMs: 42_000 } });
    expect(classifyRocketchat(limited(NOW + 86_400_000), NOW)).toMatchObject({ outcome: { afterMs: 60_000 } });
  });

  it('a disabled integration (503) is retried with the reason; an unknown 401 is refused access', () => {
    expect(classifyRocketchat(answer(503, { success: false, error: 'Service Unavailable' }), NOW)).toMatchObject({ scope: 'rest', outcome: { kind: 'retry', reason: expect.stringContaining('the integration is disabled') } });
    expect(classifyRocketchat(answer(401, { status: 'error', message: 'You must be logged in to do this.' }), NOW)).toMatchObject({ scope: 'rest', outcome: { kind: 'retry', auth: true } });
  });
});

describe('windowWait', () => {
  it('holds when an answer spent the window, not while calls are left', () => {
    expect(windowWait(answer(200, { success: true }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW + 5000) }), NOW)).toBe(5000);
    expect(windowWait(answer(200, { success: true }, { 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': String(NOW + 5000) }), NOW)).toBeUndefined();
    expect(windowWait(answer(200, { success: true }), NOW)).toBeUndefined();
    expect(windowWait(answer(429, {}), NOW)).toBe(1000);
  });

  it('reads the reset against the server\'s clock (its Date header), not ours', () => {
    const server = NOW + 8 * 60_000; // the server's clock runs 8 minutes ahead of ours
    const spent = answer(200, { success: true }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(server + 42_000), date: new Date(server).toUTCString() });
    expect(windowWait(spent, NOW)).toBe(42_000);
  });
});
