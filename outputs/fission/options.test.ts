// fission's keys as falcosidekick 2.34.1 spells them, with its defaults, from env vars.
import { describe, expect, it } from 'vitest';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import fission from './index.ts';

describe('fission options', () => {
  it("falcosidekick's defaults: router.fission:80; on only with function", () => {
    const empty = fission.schema.parse({});
    expect(empty).toMatchObject({ function: '', routerservice: 'router', routernamespace: 'fission', routerport: 80, functionnamespace: 'fission-function', kubeconfig: '', checkcert: true, mutualtls: false });
    expect(fission.enabled(empty)).toBe(false);
    expect(fission.enabled(fission.schema.parse({ function: 'falco' }))).toBe(true);
  });

  it('loads FISSION_* env vars (FISSION_KUBECONFIG as falcosidekick reads its KubeConfig) into fission.*', () => {
    const { config } = configFromEnv({
      FISSION_FUNCTION: 'falco-response',
      FISSION_ROUTERSERVICE: 'rt',
      FISSION_ROUTERNAMESPACE: 'fn-system',
      FISSION_ROUTERPORT: '8888',
      FISSION_FUNCTIONNAMESPACE: 'fission-function',
      FISSION_KUBECONFIG: '/etc/kube/config',
      FISSION_MAXCONCURRENTREQUESTS: '3',
    });
    expect(config).toMatchObject({
      fission: { function: 'falco-response', routerservice: 'rt', routernamespace: 'fn-system', routerport: 8888, functionnamespace: 'fission-function', kubeconfig: '/etc/kube/config', maxconcurrentrequests: 3 },
    });
  });

  it('a function name with "/": a startup problem naming the key', () => {
    expect(envProblems({ FISSION_FUNCTION: '../x' })).toEqual([expect.stringMatching(/^fission\.function: must be a Kubernetes name/)]);
  });
});
