// falcosidekick's gcp.cloudrun: one POST of the alert JSON per alert to a Cloud Run service URL,
// with `Authorization: Bearer <jwt>` (an ID token whose audience is the service URL) when set.
// Cloud Run's front end answers 401/403 for a token it refuses, 429 when no instance is free, 5xx
// when the service fails: the common HTTP classification (classifyHttp) fits.
import { optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';
import { defineJsonPostOutput } from '../webhook/post.ts';

const post = defineJsonPostOutput({
  name: 'gcpcloudrun',
  description: 'POST each alert as JSON to a Google Cloud Run service, with a JWT bearer token.',
  schema: z.object({
    endpoint: optionalHttpUrl('https://falco-handler-abc123-uc.a.run.app').describe('URL of the Cloud Run service (its path included). Setting it turns the output on.'),
    jwt: secret(
      z
        .string()
        .default('')
        .describe('ID token sent as "Authorization: Bearer <jwt>" (gcloud auth print-identity-token --audiences=<endpoint>); Cloud Run checks it and roles/run.invoker. Empty: no Authorization header (a service that allows unauthenticated calls).'),
    ),
    ...tlsShape,
  }),
  example: { endpoint: 'https://falco-handler-abc123-uc.a.run.app', jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2ZhbGNvIn0.c2ln' },
  url: (options) => options.endpoint,
  contentType: 'application/json; charset=utf-8',
  headers: (options): Record<string, string> => (options.jwt !== '' ? { authorization: `Bearer ${options.jwt}` } : {}),
  idempotencyKey: false,
  // Cloud Run scales out under load; 8 in flight keep up with a burst without a cold-start storm.
  concurrency: 8,
});

// Under falcosidekick's gcp: section (gcp.cloudrun.endpoint); gcp.credentials is not used here.
export default { ...post, section: ['gcp', 'cloudrun'] } satisfies typeof post;
