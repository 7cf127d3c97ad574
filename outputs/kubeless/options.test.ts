// kubeless's keys as falcosidekick 2.34.1 spells them, with its defaults, from env vars; on only
// with both function and namespace, as in falcosidekick.
import { describe, expect, it } from 'vitest';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import kubeless from './index.ts';

describe('kubeless options', () => {
  it('port 8080 by default; on only with function and namespace', () => {
    const empty = kubeless.schema.parse({});
    expect(empty).toMatchObject({ function: '', namespace: '', port: 8080, kubeconfig: '', checkcert: true });
    expect(kubeless.enabled(empty)).toBe(false);
    expect(kubeless.enabled(kubeless.schema.parse({ function: 'f' }))).toBe(false);
    expect(kubeless.enabled(kubeless.schema.parse({ namespace: 'n' }))).toBe(false);
    expect(kubeless.enabled(kubeless.schema.parse({ function: 'f', namespace: 'n' }))).toBe(true);
  });

  it('loads KUBELESS_* env vars into kubeless.*', () => {
    const { config } = configFromEnv({ KUBELESS_FUNCTION: 'f', KUBELESS_NAMESPACE: 'n', KUBELESS_PORT: '9090', KUBELESS_KUBECONFIG: '/k', KUBELESS_MINIMUMPRIORITY: 'alert' });
    expect(config).toMatchObject({ kubeless: { function: 'f', namespace: 'n', port: 9090, kubeconfig: '/k', minimumpriority: 'alert' } });
  });

  it('a namespace that is not a Kubernetes name: a startup problem naming the key', () => {
    expect(envProblems({ KUBELESS_FUNCTION: 'f', KUBELESS_NAMESPACE: 'a b' })).toEqual([expect.stringMatching(/^kubeless\.namespace: must be a Kubernetes name/)]);
  });
});
