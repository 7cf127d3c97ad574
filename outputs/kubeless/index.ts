// Kubeless (archived upstream in 2021, still in falcosidekick): each alert is the body of an HTTP
// call of the function's own Service (its runtime's `/`), with the event-* headers Kubeless
// runtimes read into the event's context.
import { maxConcurrentRequests, tlsShape, z } from '../../src/plugin/index.ts';
import { defineFunctionOutput } from '../openfaas/function-output.ts';
import { kubeconfigKey, kubeName, port } from '../openfaas/names.ts';

export default defineFunctionOutput({
  name: 'kubeless',
  description: 'Call a Kubeless function with each alert as its JSON body, through its Service (or the Kubernetes API server\'s service proxy).',
  schema: z.object({
    function: kubeName('', 'Name of the function (its Service). Setting it with namespace turns the output on.'),
    namespace: kubeName('', 'Namespace of the function. Setting it with function turns the output on.'),
    port: port(8080, 'Port of the function\'s Service.'),
    kubeconfig: kubeconfigKey(),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { function: 'falco-response', namespace: 'kubeless' },
  enabled: (options) => options.function !== '' && options.namespace !== '',
  // Each request runs the function once; 8 at once keep up with a burst.
  concurrency: 8,
  directUrl: (o) => `http://${o.function}.${o.namespace}.svc.cluster.local:${o.port}`,
  directContentType: 'application/json',
  proxyPath: (o) => ({ namespace: o.namespace, service: o.function, port: o.port, path: '/' }),
  // falcosidekick's event-id is a new random uuid per request; here the alert's, the same on a retry.
  headers: (alert, o): Record<string, string> => ({ 'event-id': alert.uuid, 'event-type': 'falco', 'event-namespace': o.namespace }),
});
