// Slack incoming webhooks: falcosidekick's message layout, posted at Slack's pace of about one
// message per second, a burst folded into one summary message, a revoked webhook dead-lettered.
import type { Dispatcher } from 'undici';
import { compileTemplateSource, createHttpPool, defineOutput, loadTls, type TemplateContext } from '../../src/plugin/index.ts';
import { slackSchema, validateSlack } from './options.ts';
import { Pacer } from './pacer.ts';
import { postMessages, type SlackTarget } from './send.ts';
import { planMessages } from './summary.ts';

interface SlackClient extends SlackTarget {
  pool: Dispatcher;
  renderText: ((context: TemplateContext) => string) | undefined;
}

export default defineOutput({
  name: 'slack',
  description: 'Post alerts to a Slack incoming webhook (falcosidekick\'s layout), paced to Slack\'s rate limit, a burst summarised.',
  schema: slackSchema,
  example: { webhookurl: 'https://hooks.slack.com/services/T000/B000/XXXX', channel: '#falco' },
  enabled: (options) => options.webhookurl !== '',
  validate: validateSlack,
  // A burst arrives as one batch (up to 50 alerts gathered for a second) and leaves as
  // summaryafter messages plus one summary.
  batch: { maxevents: 50, maxbytes: 1_000_000, flushms: 1000 },
  connect(options, ctx): SlackClient {
    const url = new URL(options.webhookurl);
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: 1, timeoutMs: ctx.timeoutMs });
    const compiled = options.messageformat ? compileTemplateSource(options.messageformat) : undefined;
    if (compiled && !compiled.ok) throw new Error(`slack.messageformat: ${compiled.message}`); // validate() caught it first
    const render = compiled?.render;
    // As falcosidekick: a template that fails on one alert sends that message without text.
    const renderText = render
      ? (context: TemplateContext) => {
          try {
            return render(context);
          } catch (err) {
            ctx.log.debug({ err: (err as Error).message, rule: context.rule }, 'slack.messageformat failed for this alert; sent without text');
            return '';
          }
        }
      : undefined;
    return {
      pool,
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent },
      pacer: new Pacer(ctx.clock),
      renderText,
    };
  },
  sendBatch(alerts, { client, options, signal, clock }) {
    return postMessages(planMessages(alerts, options, client.renderText), alerts.length, client, signal, () => clock.now());
  },
  async close(client: SlackClient) {
    await client.pool.close();
  },
});
