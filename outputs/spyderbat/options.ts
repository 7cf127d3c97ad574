// The spyderbat output's options: falcosidekick's keys (spyderbat.*, same defaults) and the API paths.
import { httpUrl, secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';
import { sourceUid } from './event.ts';

export const spyderbatSchema = z.object({
  orguid: z.string().default('').describe('Spyderbat organization UID. Setting it turns the output on.'),
  apikey: secret(z.string().default('').describe('Spyderbat API key, sent as "Authorization: Bearer <apikey>".')),
  apiurl: httpUrl('https://api.spyderbat.com').default('https://api.spyderbat.com').describe('Spyderbat API base URL.'),
  source: z.string().default('falcosidekick').describe('Name of the source created in the org for these alerts (its uid is falcosidekick_<orguid>), at most 32 characters.'),
  sourcedescription: z.string().default('').describe('Description of that source, set when it is created, at most 256 characters.'),
  ...tlsShape,
});

export type SpyderbatOptions = z.output<typeof spyderbatSchema>;

const UID = /^[A-Za-z0-9._~-]+$/;

export function spyderbatProblems(options: SpyderbatOptions): OptionProblem[] {
  const problems: OptionProblem[] = [];
  if (options.apikey === '') problems.push({ path: 'apikey', message: 'is required with orguid (Spyderbat refuses a request without it)' });
  if (!UID.test(options.orguid)) problems.push({ path: 'orguid', message: 'must be an organization UID (letters, digits, ".", "_", "~", "-"): it is a path segment of every API URL' });
  if (options.source === '') problems.push({ path: 'source', message: 'is empty: the source needs a name' });
  else if (options.source.length > 32) problems.push({ path: 'source', message: 'is longer than the 32 characters Spyderbat takes' });
  if (options.sourcedescription.length > 256) problems.push({ path: 'sourcedescription', message: 'is longer than the 256 characters Spyderbat takes' });
  return problems;
}

/** The API paths: the org's sources, and the data endpoint of the source. */
export function apiPaths(options: SpyderbatOptions): { origin: string; sources: string; data: string } {
  const url = new URL(options.apiurl);
  const base = url.pathname.replace(/\/+$/, '');
  const sources = `${base}/api/v1/org/${options.orguid}/source/`;
  return { origin: url.origin, sources, data: `${sources}${sourceUid(options.orguid)}/data/sb-agent` };
}
