// What every GCP output shares: falcosidekick's `gcp:` section (gcp.credentials, a base64-encoded
// service-account key; empty: Application Default Credentials). Not an output: the GCP outputs
// (outputs/gcp*/) import it. The Google packages are loaded by the outputs inside connect(), so a
// deployment without GCP outputs never loads them; nothing here imports them.
import { z } from 'zod';
import { secret } from '../config/secret.ts';
import type { SharedSection } from './types.ts';

/** The fields of a key file the Google libraries need to sign with it. */
export interface GcpKeyFile {
  type: string;
  client_email?: string;
  private_key?: string;
  project_id?: string;
  [key: string]: unknown;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The key file in gcp.credentials, or a message saying what is wrong with it. */
function decodeCredentials(text: string): GcpKeyFile | string {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 !== 0) return 'must be the base64 of a service-account JSON key file (base64 -w0 key.json)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(compact, 'base64').toString('utf8'));
  } catch {
    return 'decodes from base64 but is not JSON: it must be the base64 of a service-account JSON key file';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as { type?: unknown }).type !== 'string') {
    return 'is not a Google credentials file (no "type" field): use the JSON key of a service account';
  }
  const key = parsed as GcpKeyFile;
  if (key.type === 'service_account' && (typeof key.client_email !== 'string' || typeof key.private_key !== 'string')) {
    return 'is a service_account key without client_email or private_key';
  }
  return key;
}

export const gcpShared = {
  path: ['gcp'],
  description: 'Credentials shared by the GCP outputs under gcp: (storage, pubsub, cloudfunctions, chronicle; cloudrun uses its own JWT).',
  schema: z.object({
    credentials: secret(
      z
        .string()
        .default('')
        .describe('Base64 of a service-account JSON key file (base64 -w0 key.json). Empty: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, GKE Workload Identity, the metadata server).'),
    ),
  }),
} satisfies SharedSection;

/**
 * The key file of gcp.credentials (ctx.shared), or undefined for Application Default Credentials.
 * Called in connect(): a value that is not a key file throws an error naming gcp.credentials, and
 * the output stays down (retried, its alerts queued) until the value is fixed.
 */
export function gcpKeyFile(shared: Readonly<Record<string, unknown>>): GcpKeyFile | undefined {
  const { credentials } = gcpShared.schema.parse(shared);
  if (credentials === '') return undefined;
  const key = decodeCredentials(credentials);
  if (typeof key === 'string') throw new Error(`gcp.credentials ${key}`);
  return key;
}
