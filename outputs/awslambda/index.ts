// falcosidekick's aws.lambda: each alert's JSON as the payload of one Lambda invocation, synchronous
// (RequestResponse, the default: delivered when the function ran without error) or asynchronous
// (Event: delivered when Lambda queued it).
import { defineOutput, sendEach, z } from '../../src/plugin/index.ts';
import { awsShared, connectAws, regionIn } from '../../src/plugin/aws.ts';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { invoke, type LambdaTarget } from './invoke.ts';

// A name (falco), a partial ARN (123456789012:function:falco) or an ARN, each with an optional
// version or alias (:prod), as Invoke takes them.
const functionName = z
  .string()
  .max(170)
  .regex(
    /^(arn:aws[a-zA-Z-]*:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d:)?(\d{12}:)?(function:)?[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]+))?$/,
    'must be a Lambda function name, partial ARN or ARN (with an optional :version or :alias)',
  );

export default defineOutput({
  name: 'awslambda',
  section: ['aws', 'lambda'],
  shared: awsShared,
  description: 'Invoke an AWS Lambda function with each alert as its JSON payload.',
  schema: z.object({
    functionname: z.union([z.literal(''), functionName]).default('').describe('Function name, partial ARN or ARN, with an optional :version or :alias. Setting it turns the output on.'),
    invocationtype: z
      .enum(['RequestResponse', 'Event'], { error: 'must be RequestResponse or Event (DryRun only checks permissions and invokes nothing: every alert would be lost)' })
      .default('RequestResponse')
      .describe('RequestResponse: wait for the function; an alert is delivered when it ran without error (a function error is retried). Event: Lambda queues the invocation and runs it later (with its own 2 retries); delivered once queued.'),
    logtype: z.enum(['Tail', 'None']).default('Tail').describe('Tail asks Lambda for the last 4 KB of the execution log with a RequestResponse answer (as falcosidekick does); None does not. Peregrine does not log it.'),
  }),
  example: { functionname: 'falco-handler' },
  enabled: (options) => options.functionname !== '',
  concurrency: 4,
  async connect(options, ctx): Promise<LambdaTarget & { client: LambdaClient }> {
    const aws = await connectAws(ctx, { region: regionIn(options.functionname) });
    const { LambdaClient } = await import('@aws-sdk/client-lambda');
    const lambda = new LambdaClient(aws.client as NonNullable<ConstructorParameters<typeof LambdaClient>[0]>);
    return { client: lambda, lambda, functionName: options.functionname, invocationType: options.invocationtype, logType: options.logtype };
  },
  sendBatch(alerts, { client, signal }) {
    return sendEach(alerts, (alert) => invoke(alert, client, signal));
  },
  close(client) {
    client.client.destroy();
  },
});
