// The policyreport section: falcosidekick's keys (enabled, kubeconfig, falconamespace, maxevents,
// prunebypriority) with its defaults (config.go). Validation only; no IO.
import { z } from '../../src/plugin/index.ts';

export const policyreportSchema = z.object({
  enabled: z.boolean().default(false).describe('Write alerts as results of PolicyReport (per namespace) and ClusterPolicyReport objects. Setting it to true turns the output on.'),
  kubeconfig: z
    .string()
    .default('')
    .describe(
      'Path of a kubeconfig file (~ is the home directory), used outside a Kubernetes pod: its current context\'s server, CA, and token, tokenFile or client certificate (exec plugins, auth-provider and username/password are not supported). In a pod with a service account, that account is used, as in falcosidekick.',
    ),
  falconamespace: z
    .string()
    .default('')
    .describe('Namespace whose PolicyReport gets the results of an alert whose namespace does not exist. "" = the service account\'s namespace in a cluster, else "default".'),
  maxevents: z
    .union([z.number(), z.string().trim().regex(/^\d+$/, 'must be a whole number such as 1000')])
    .default(1000)
    .transform(Number)
    .pipe(z.number().int('must be a whole number').min(1, 'must be 1 or more'))
    .describe('Results a report keeps: past it the oldest are removed.'),
  prunebypriority: z.boolean().default(false).describe('Past maxevents, remove the oldest result of the lowest severity first (info, low, medium, high, critical) instead of the oldest.'),
});
