// falcosidekick's gcp.storage: each alert's JSON as one object in a Cloud Storage bucket, named
// <prefix>/<YYYY-MM-DD>/<time>_<uuid>.json (key.ts), written only if absent (ifGenerationMatch=0),
// so an alert sent again is not stored twice. STORAGE_EMULATOR_HOST points the library elsewhere.
import type { Storage } from '@google-cloud/storage';
import { defineOutput, gcpKeyFile, gcpShared, ok, raceSignal, sendEach, serializeAlert, z } from '../../src/plugin/index.ts';
import { classifyStorageError } from './classify.ts';
import { objectName } from './key.ts';

interface Client {
  storage: Storage;
}

export default defineOutput({
  name: 'gcpstorage',
  section: ['gcp', 'storage'],
  shared: gcpShared,
  description: 'Write each alert as a JSON object to a Google Cloud Storage bucket.',
  schema: z.object({
    bucket: z.string().default('').describe('Bucket name. Setting it turns the output on.'),
    prefix: z.string().default('').describe('Object name prefix; objects go to <prefix>/<YYYY-MM-DD>/<alert time>_<uuid>.json (no leading slash when empty).'),
  }),
  example: { bucket: 'falco-alerts' },
  enabled: (options) => options.bucket !== '',
  concurrency: 4,
  async connect(_options, ctx): Promise<Client> {
    const key = gcpKeyFile(ctx.shared);
    const { Storage } = await import('@google-cloud/storage');
    const storage = new Storage({
      ...(key ? { credentials: key, ...(typeof key.project_id === 'string' ? { projectId: key.project_id } : {}) } : {}),
      // The core retries; the library's own retries would stack under it.
      retryOptions: { autoRetry: false, maxRetries: 0 },
      userAgent: ctx.userAgent,
      // A request abandoned at the deadline (raceSignal below) ends too, instead of running on.
      timeout: ctx.timeoutMs,
    } as NonNullable<ConstructorParameters<typeof Storage>[0]>);
    return { storage };
  },
  async sendBatch(alerts, { client, options, signal }) {
    return sendEach(alerts, async (alert) => {
      const file = client.storage.bucket(options.bucket).file(objectName(options.prefix, alert));
      try {
        await raceSignal(file.save(serializeAlert(alert), { resumable: false, contentType: 'application/json', preconditionOpts: { ifGenerationMatch: 0 } }), signal);
        return ok();
      } catch (err) {
        if (signal.aborted) throw err;
        return classifyStorageError(err, options.bucket);
      }
    });
  },
});
