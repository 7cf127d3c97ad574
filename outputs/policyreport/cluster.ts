// Where the API server is, in falcosidekick's order: the in-cluster configuration when this is a pod
// with a service account (as client-go's rest.InClusterConfig reads it: KUBERNETES_SERVICE_HOST/PORT,
// the account's token, read again as it rotates, and CA), else the kubeconfig's current context
// (outputs/openfaas/kubeconfig.ts). falcosidekick's chart sets kubeconfig: ~/.kube/config, "only
// when running outside the cluster": in a pod it must not win.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig, type KubeTarget } from '../openfaas/kubeconfig.ts';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function kubeTarget(kubeconfig: string, env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT_DIR): KubeTarget {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const inPod = Boolean(host && port) && existsSync(join(dir, 'token'));
  if (!inPod) {
    if (kubeconfig !== '') return loadKubeconfig(kubeconfig.replace(/^~(?=\/|$)/, homedir()));
    throw new Error('policyreport.kubeconfig is empty and this is not a Kubernetes pod with a service account (KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT unset or no token mounted): set policyreport.kubeconfig');
  }
  let ca: string;
  try {
    ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  } catch (err) {
    throw new Error(`in-cluster: cannot read ${join(dir, 'ca.crt')}: ${(err as NodeJS.ErrnoException).code ?? String(err)} (is a service account token mounted?)`, { cause: err });
  }
  return { server: new URL(`https://${host?.includes(':') ? `[${host}]` : host}:${port}`), ca, insecure: false, tokenFile: join(dir, 'token') };
}

/** The namespace a report goes to when an alert's does not exist: policyreport.falconamespace, the pod's own, or "default". */
export function fallbackNamespace(falconamespace: string, dir = SERVICE_ACCOUNT_DIR): string {
  if (falconamespace !== '') return falconamespace;
  try {
    return readFileSync(join(dir, 'namespace'), 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}
