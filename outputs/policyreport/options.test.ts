import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv, configFromYaml, envProblems } from '../../test/support/config.ts';
import { fallbackNamespace, kubeTarget } from './cluster.ts';

describe('policyreport options', () => {
  it('falcosidekick\'s defaults (config.go): off, kubeconfig "", maxevents 1000, prunebypriority false', () => {
    expect(configFromYaml('policyreport:\n  kubeconfig: /k\n').enabled).not.toContain('policyreport');
    const { config, enabled } = configFromYaml('policyreport:\n  enabled: true\n');
    expect(enabled).toContain('policyreport');
    expect(config).toMatchObject({ policyreport: { enabled: true, kubeconfig: '', falconamespace: '', maxevents: 1000, prunebypriority: false } });
  });

  it('from env vars, as the chart passes them', () => {
    const { config, enabled } = configFromEnv({ POLICYREPORT_ENABLED: 'true', POLICYREPORT_KUBECONFIG: '/etc/k', POLICYREPORT_FALCONAMESPACE: 'falco', POLICYREPORT_MAXEVENTS: '50', POLICYREPORT_PRUNEBYPRIORITY: 'true', POLICYREPORT_MINIMUMPRIORITY: 'warning' });
    expect(enabled).toContain('policyreport');
    expect(config).toMatchObject({ policyreport: { kubeconfig: '/etc/k', falconamespace: 'falco', maxevents: 50, prunebypriority: true, minimumpriority: 'warning' } });
  });

  it('a maxevents that is not a count: a config error naming the key', () => {
    expect(envProblems({ POLICYREPORT_ENABLED: 'true', POLICYREPORT_MAXEVENTS: '0' })).toEqual(['policyreport.maxevents: must be 1 or more']);
    expect(envProblems({ POLICYREPORT_ENABLED: 'true', POLICYREPORT_MAXEVENTS: 'many' })).toEqual(['policyreport.maxevents: must be a whole number such as 1000']);
  });

  it('in-cluster without a kubeconfig: the service account\'s CA and token file, the API server from the env; outside a cluster a message naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-sa-'));
    writeFileSync(join(dir, 'ca.crt'), 'PEM');
    writeFileSync(join(dir, 'namespace'), 'falco\n');
    writeFileSync(join(dir, 'token'), 'sa-token');
    const t = kubeTarget('', { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, dir);
    expect({ ...t, server: t.server.href }).toEqual({ server: 'https://10.0.0.1/', ca: 'PEM', insecure: false, tokenFile: join(dir, 'token') });
    expect(kubeTarget('', { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' }, dir).server.href).toBe('https://[fd00::1]:6443/');
    expect(() => kubeTarget('', {}, dir)).toThrow('policyreport.kubeconfig is empty and this is not a Kubernetes pod with a service account (KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT unset or no token mounted): set policyreport.kubeconfig');
    // falcosidekick's chart default (for use outside a cluster) does not stop the output in a pod:
    // the service account wins, as in falcosidekick (rest.InClusterConfig first).
    const chartDefault = kubeTarget('~/.kube/config', { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, dir);
    expect(chartDefault.server.href).toBe('https://10.0.0.1/');
    // Outside a pod the kubeconfig is read, ~ being the home directory.
    expect(() => kubeTarget('~/no-such-kubeconfig', {}, dir)).toThrow(`${homedir()}/no-such-kubeconfig`);
    expect(fallbackNamespace('', dir)).toBe('falco');
    expect(fallbackNamespace('prod', dir)).toBe('prod');
    expect(fallbackNamespace('', join(dir, 'absent'))).toBe('default');
  });
});
