// openfaas's keys as falcosidekick 2.34.1 spells them, with its defaults, from env vars; on only
// with a function name; names that would change the URL path refused.
import { describe, expect, it } from 'vitest';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import openfaas from './index.ts';

describe('openfaas options', () => {
  it("falcosidekick's defaults: gateway.openfaas:8080, functions in openfaas-fn, no kubeconfig; on only with functionname", () => {
    const empty = openfaas.schema.parse({});
    expect(empty).toMatchObject({ functionname: '', functionnamespace: 'openfaas-fn', gatewayservice: 'gateway', gatewaynamespace: 'openfaas', gatewayport: 8080, kubeconfig: '', checkcert: true });
    expect(openfaas.enabled(empty)).toBe(false);
    expect(openfaas.enabled(openfaas.schema.parse({ functionname: 'falco' }))).toBe(true);
  });

  it('loads OPENFAAS_* env vars into openfaas.*', () => {
    const { config } = configFromEnv({
      OPENFAAS_FUNCTIONNAME: 'falco-response',
      OPENFAAS_FUNCTIONNAMESPACE: 'fn',
      OPENFAAS_GATEWAYSERVICE: 'gw',
      OPENFAAS_GATEWAYNAMESPACE: 'of',
      OPENFAAS_GATEWAYPORT: '31112',
      OPENFAAS_KUBECONFIG: '/etc/kube/config',
      OPENFAAS_MAXCONCURRENTREQUESTS: '2',
      OPENFAAS_MINIMUMPRIORITY: 'error',
    });
    expect(config).toMatchObject({
      openfaas: { functionname: 'falco-response', functionnamespace: 'fn', gatewayservice: 'gw', gatewaynamespace: 'of', gatewayport: 31112, kubeconfig: '/etc/kube/config', maxconcurrentrequests: 2, minimumpriority: 'error' },
    });
  });

  it('a name with "/" or upper case, a port out of range: startup problems naming the key', () => {
    expect(envProblems({ OPENFAAS_FUNCTIONNAME: 'a/b' })).toEqual([expect.stringMatching(/^openfaas\.functionname: must be a Kubernetes name/)]);
    expect(envProblems({ OPENFAAS_FUNCTIONNAME: 'f', OPENFAAS_GATEWAYNAMESPACE: 'OpenFaaS' })).toEqual([expect.stringMatching(/^openfaas\.gatewaynamespace: /)]);
    expect(envProblems({ OPENFAAS_FUNCTIONNAME: 'f', OPENFAAS_GATEWAYPORT: '70000' })).toEqual([expect.stringMatching(/^openfaas\.gatewayport: /)]);
    expect(openfaas.schema.safeParse({ functionname: 'f', gatewayservice: '' }).success).toBe(false);
  });
});
