// The web console in real headless Chromium (Debian's chromium, driven by playwright-core; no
// browser download): sign in, watch outputs and alerts appear as alerts are posted, open an
// alert's trail, replay a dead letter and see it delivered. Alert text is rendered as text, never
// as markup; 64-bit integers in an alert's JSON show exact. Screenshots of each view, in both themes, go to docs/images/console-*.png.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, retry } from '../../../src/dispatch/result.ts';
import type { ChromiumInfra } from '../../infra/chromium/state.ts';
import { repoDir, useInfra } from '../../infra/state.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { ADMIN, READER, alertJson, scriptedOutput } from '../../support/console.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

let browser: Browser;
let app: RunningApp;
let receiver: Receiver;
let accept = false;

const SHOTS = process.env.CONSOLE_SCREENSHOTS !== '0';
const shot = (name: string) => join(repoDir, 'docs/images', `console-${name}.png`);

beforeAll(async () => {
  const { executablePath } = await useInfra<ChromiumInfra>('chromium');
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  receiver = await new Receiver().start();
  // The webhook refuses one rule until the test "fixes" the destination.
  receiver.setBehaviour((req) => (accept || !req.body.includes('Drift detected') ? { kind: 'ok' } : { kind: 'status', status: 400, body: '{"error":"field too long"}' }));
  const siem = scriptedOutput('siem');
  siem.decide((alert, attempt) => (alert.priority === 'Critical' && attempt === 1 ? retry('HTTP 503: Service Unavailable') : ok()));
  const spool = mkdtempSync(join(tmpdir(), 'peregrine-console-ui-'));
  app = await startApp(
    `spool:\n  enabled: true\n  dir: ${spool}\nconsole:\n  enabled: true\n  token: ${ADMIN}\n  readtoken: ${READER}\n  ratelimit: 200\n` +
      `webhook:\n  address: ${receiver.url()}\n  minimumpriority: notice\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 50\nsiem:\n  enabled: true\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 50\n    probems: 0\n`,
    { extraPlugins: [siem.plugin] },
  );
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await receiver?.stop();
});

async function signIn(context: BrowserContext, token = ADMIN): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.url}/ui/`);
  await page.locator('#token').fill(token);
  await page.locator('#login button[type=submit]').click();
  await page.locator('#nav').waitFor({ state: 'visible' });
  return page;
}

const SAMPLE = [
  { uuid: 'ui-1', priority: 'Critical', rule: 'Terminal shell in container', hostname: 'node-1', namespace: 'payments', output: 'A shell was spawned in a container with an attached terminal (user=root pod=api-7d9)' },
  { uuid: 'ui-2', priority: 'Warning', rule: 'Read sensitive file untrusted', hostname: 'node-2', namespace: 'default', output: 'Sensitive file opened for reading by non-trusted program (file=/etc/shadow)' },
  { uuid: 'ui-3', priority: 'Notice', rule: 'Contact K8S API Server From Container', hostname: 'node-1', namespace: 'kube-system', output: 'Unexpected connection to K8s API Server from container' },
  { uuid: 'ui-4', priority: 'Error', rule: 'Drift detected (chmod, new executable created in a container)', hostname: 'node-3', namespace: 'payments', output: 'Drift detected (chmod), new executable created in a container (filename=/tmp/x)' },
  { uuid: 'ui-5', priority: 'Informational', rule: 'Launch Package Management Process in Container', hostname: 'node-2', namespace: 'default', output: 'Package management process launched in container (apt-get)' },
];

describe('web console in Chromium', () => {
  it('refuses a wrong token and signs in with the right one', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/ui/`);
    await expect.poll(() => page.locator('#login').isVisible()).toBe(true);
    await page.locator('#token').fill('not-the-token');
    await page.locator('#login button[type=submit]').click();
    await expect.poll(() => page.locator('#login-error').textContent()).toBe('That token was refused.');
    await page.locator('#token').fill(READER);
    await page.locator('#login button[type=submit]').click();
    await expect.poll(() => page.locator('#who').textContent()).toBe('read-only');
    await context.close();
  });

  it('shows outputs and alerts as they are posted, renders alert text as text, opens a trail, replays a dead letter', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await signIn(context);
    await page.locator('section.output[data-output="webhook"]').waitFor();
    await page.locator('section.output[data-output="siem"]').waitFor();

    await page.goto(`${app.url}/ui/#/alerts`);
    await page.locator('#alerts').waitFor();
    for (const a of SAMPLE) expect((await app.post(alertJson(a))).status).toBe(200);
    // An attacker-influenced alert: its text must show up literally, not as markup.
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    expect((await app.post(alertJson({ uuid: 'ui-hostile', priority: 'Warning', rule: `<b>bold</b> rule`, output: hostile }))).status).toBe(200);
    // The live tail brings them in without a reload.
    await page.locator('tr[data-uuid="ui-hostile"]').waitFor({ timeout: 15_000 });
    for (const a of SAMPLE) await page.locator(`tr[data-uuid="${a.uuid}"]`).waitFor();
    const hostileRow = page.locator('tr[data-uuid="ui-hostile"]');
    expect(await hostileRow.locator('td.text').textContent()).toBe(hostile);
    expect(await hostileRow.locator('img, script, b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    // The dead letter (the webhook refused ui-4) and the delivered ones settle.
    await waitFor(() => app.deadLetters.size() === 1, 10_000, 'the dead letter');
    await waitFor(() => app.trail?.store?.get('ui-1')?.outputs.every((o) => o.state === 'delivered') === true, 10_000, 'ui-1 delivered everywhere');
    await page.locator('#chart svg rect').first().waitFor();

    // An alert's trail.
    await page.locator('tr[data-uuid="ui-1"] a').click();
    await page.locator('#trail tr[data-output="siem"]').waitFor();
    expect(await page.locator('#trail tr[data-output="siem"] td').nth(1).textContent()).toBe('delivered');
    expect(await page.locator('#trail tr[data-output="siem"] ol.attempts li').count()).toBe(2);
    expect(await page.locator('#trail tr[data-output="siem"] ol.attempts li').first().textContent()).toContain('HTTP 503: Service Unavailable');
    expect(JSON.parse((await page.locator('#alert-json').textContent()) ?? '{}')).toMatchObject({ uuid: 'ui-1', rule: 'Terminal shell in container' });
    // Falco's 64-bit integers (here 19 digits, far above 2^53) show exactly as posted, not rounded.
    const big = alertJson({ uuid: 'ui-big', priority: 'Warning' }).replace('"output_fields":{', '"output_fields":{"evt.rawtime":1795170096167531877,"fd.ino":-9007199254740993,');
    expect((await app.post(big)).status).toBe(200);
    await page.goto(`${app.url}/ui/#/alert/ui-big`);
    await expect.poll(() => page.locator('#alert-json').textContent(), { timeout: 10_000 }).toContain('"uuid": "ui-big"');
    const shown = (await page.locator('#alert-json').textContent()) ?? '';
    expect(shown).toContain('"evt.rawtime": 1795170096167531877,');
    expect(shown).toContain('"fd.ino": -9007199254740993,');

    // Dead letters: replay the refused alert once the destination accepts it.
    await page.goto(`${app.url}/ui/#/deadletters`);
    const row = page.locator('#deadletters tr[data-id]');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toContain('HTTP 400');
    if (SHOTS) await screenshots(page, 'light');
    accept = true;
    await row.first().locator('button.replay').click();
    await expect.poll(() => page.locator('#deadletters tr[data-id]').count(), { timeout: 10_000 }).toBe(0);
    await page.goto(`${app.url}/ui/#/alert/ui-4`);
    await expect.poll(() => page.locator('#trail tr[data-output="webhook"] td').nth(1).textContent(), { timeout: 15_000 }).toBe('delivered');
    expect(await page.locator('#trail tr[data-output="webhook"] ol.attempts li').last().textContent()).toContain('ok');
    expect(receiver.received.some((r) => r.body.includes('"uuid":"ui-4"'))).toBe(true);
    await context.close();
  });

  it('adds a silence that holds an alert back (seen in its trail and the hit count), and ends it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await signIn(context);
    await page.goto(`${app.url}/ui/#/silences`);
    await page.locator('#silences').waitFor();
    await page.locator('#silence-add input[name=match]').fill('{"rule": ["Maintenance noise"]}');
    await page.locator('#silence-add input[name=for]').fill('2h');
    await page.locator('#silence-add input[name=reason]').fill('node maintenance');
    await page.locator('#silence-add button[type=submit]').click();
    const row = page.locator('#silences tr[data-id]');
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('node maintenance');
    expect((await app.post(alertJson({ uuid: 'ui-silenced', priority: 'Warning', rule: 'Maintenance noise', hostname: 'node-1', namespace: 'default', output: 'noise during maintenance' }))).status).toBe(200);
    await waitFor(() => app.trail?.store?.get('ui-silenced')?.outputs.every((o) => o.state === 'suppressed') === true, 10_000, 'ui-silenced suppressed everywhere');
    // Held back counts deliveries: one alert, routed to two outputs (webhook and siem).
    await expect.poll(() => row.first().locator('td').nth(5).textContent(), { timeout: 10_000 }).toBe('2');
    if (SHOTS) await page.screenshot({ path: shot('silences-light') });
    await row.first().locator('button.expire').click();
    await expect.poll(() => page.locator('#silences tr[data-id]').count(), { timeout: 10_000 }).toBe(0);
    await context.close();
  });

  it('takes the dark-theme screenshots', async () => {
    if (!SHOTS) return;
    accept = false;
    expect((await app.post(alertJson({ uuid: 'ui-6', priority: 'Error', rule: 'Drift detected (open+create)', hostname: 'node-3', namespace: 'payments', output: 'Drift detected (open+create), new executable created in a container' }))).status).toBe(200);
    await waitFor(() => app.deadLetters.size() === 1, 10_000, 'a dead letter to show');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    await screenshots(await signIn(context), 'dark');
    await context.close();
  });
});

/** One screenshot per view: overview, alerts, an alert's trail, dead letters. */
async function screenshots(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.goto(`${app.url}/ui/#/overview`);
  await page.locator('section.output[data-output="webhook"] svg').waitFor();
  await page.screenshot({ path: shot(`overview-${theme}`) });
  await page.goto(`${app.url}/ui/#/alerts`);
  await page.locator('tr[data-uuid="ui-1"]').waitFor();
  await page.locator('#chart svg rect').first().waitFor();
  await page.screenshot({ path: shot(`alerts-${theme}`) });
  await page.goto(`${app.url}/ui/#/alert/ui-1`);
  await page.locator('#trail tr[data-output="siem"]').waitFor();
  await page.screenshot({ path: shot(`alert-${theme}`), fullPage: true });
  await page.goto(`${app.url}/ui/#/deadletters`);
  await page.locator('#deadletters tr[data-id]').first().waitFor();
  await page.screenshot({ path: shot(`deadletters-${theme}`) });
}
