// Fission: each alert is the body of an HTTP call of one function through the Fission router
// (/fission-function/<name>), which answers with the function's own status and body.
import { maxConcurrentRequests, tlsShape, z } from '../../src/plugin/index.ts';
import { defineFunctionOutput } from '../openfaas/function-output.ts';
import { kubeconfigKey, kubeName, port } from '../openfaas/names.ts';

export default defineFunctionOutput({
  name: 'fission',
  description: 'Call a Fission function with each alert as its JSON body, through the Fission router (or the Kubernetes API server\'s service proxy).',
  schema: z.object({
    function: kubeName('', 'Name of the function to call. Setting it turns the output on.'),
    routerservice: kubeName('router', 'Service of the Fission router.'),
    routernamespace: kubeName('fission', 'Namespace of the router Service.'),
    routerport: port(80, 'Port of the router Service.'),
    functionnamespace: z.string().default('fission-function').describe('Read for falcosidekick\'s configs and unused, as there: the router finds the function by its name.'),
    kubeconfig: kubeconfigKey(),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { function: 'falco-response' },
  enabled: (options) => options.function !== '',
  // Each request runs the function once; 8 at once keep up with a burst without flooding a router that cold-starts pods.
  concurrency: 8,
  directUrl: (o) => `http://${o.routerservice}.${o.routernamespace}.svc.cluster.local:${o.routerport}/fission-function/${o.function}`,
  directContentType: 'application/json',
  proxyPath: (o) => ({ namespace: o.routernamespace, service: o.routerservice, port: o.routerport, path: `/fission-function/${o.function}` }),
  // falcosidekick: a new random uuid per request; here the alert's, the same on a retry.
  headers: (alert): Record<string, string> => ({ 'event-id': alert.uuid }),
});
