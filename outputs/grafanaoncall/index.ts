// Grafana OnCall's (Formatted) Webhook integration: falcosidekick's four fields (alert_uid, state,
// title, message), which OnCall reads; it answers 200 "Ok.", 403 for an unknown integration key.
import { customHeaders, maxConcurrentRequests, optionalHttpUrl, secret, tlsShape, z, type Alert } from '../../src/plugin/index.ts';
import { defineJsonPostOutput } from '../webhook/post.ts';

/** falcosidekick's grafanaOnCallPayload, its fields in its order. */
export function onCallBody(alert: Alert): string {
  return JSON.stringify({ alert_uid: alert.uuid, state: 'alerting', title: `[${alert.priority}] ${alert.rule}`, message: alert.output });
}

export default defineJsonPostOutput({
  name: 'grafanaoncall',
  description: 'POST each alert to a Grafana OnCall webhook integration (alert_uid, state, title, message).',
  schema: z.object({
    webhookurl: secret(
      optionalHttpUrl('https://oncall.example.com/integrations/v1/formatted_webhook/KEY/').describe(
        'The integration\'s URL, e.g. https://oncall-prod-us-central-0.grafana.net/oncall/integrations/v1/formatted_webhook/<key>/. It carries the integration key (a credential): redacted everywhere. Setting it turns the output on.',
      ),
    ),
    customheaders: customHeaders('Extra request headers. Env: GRAFANAONCALL_CUSTOMHEADERS="X-A:1,X-B:2".'),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { webhookurl: 'https://oncall.example.com/integrations/v1/formatted_webhook/your-integration-key/' },
  url: (options) => options.webhookurl,
  contentType: 'application/json',
  headers: (options) => options.customheaders,
  body: onCallBody,
  // The body's alert_uid (the uuid) already groups a replay into its alert group; nothing reads the header.
  idempotencyKey: false,
  // falcosidekick's default (maxconcurrentrequests 1): OnCall rate-limits each integration.
  concurrency: 1,
});
