// The Kinesis client of awskinesis and of the Kinesis-compatible services (yandexdatastreams), from
// the AWS client settings (src/plugin/aws.ts awsSettings). The Kinesis client defaults to HTTP/2
// (for SubscribeToShard), which ignores HTTPS_PROXY and which moto and some proxies do not speak:
// PutRecords goes over HTTP/1.1 as the other AWS outputs.
import type { KinesisClient } from '@aws-sdk/client-kinesis';

export async function createKinesisClient(settings: { requestHandler: Record<string, unknown> }): Promise<KinesisClient> {
  const { KinesisClient } = await import('@aws-sdk/client-kinesis');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const requestHandler = new NodeHttpHandler(settings.requestHandler);
  return new KinesisClient({ ...settings, requestHandler } as NonNullable<ConstructorParameters<typeof KinesisClient>[0]>);
}
