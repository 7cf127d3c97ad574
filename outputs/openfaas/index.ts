// OpenFaaS: each alert is the body of a synchronous call of one function through the gateway
// (POST /function/<name>.<namespace>); the gateway answers with the function's own status and body.
import { maxConcurrentRequests, tlsShape, z } from '../../src/plugin/index.ts';
import { defineFunctionOutput } from './function-output.ts';
import { kubeconfigKey, kubeName, port } from './names.ts';

export default defineFunctionOutput({
  name: 'openfaas',
  description: 'Call an OpenFaaS function with each alert as its JSON body, through the gateway (or the Kubernetes API server\'s service proxy).',
  schema: z.object({
    functionname: kubeName('', 'Name of the function to call. Setting it turns the output on.'),
    functionnamespace: kubeName('openfaas-fn', 'Namespace of the function (the gateway calls <functionname>.<functionnamespace>).'),
    gatewayservice: kubeName('gateway', 'Service of the OpenFaaS gateway.'),
    gatewaynamespace: kubeName('openfaas', 'Namespace of the gateway Service.'),
    gatewayport: port(8080, 'Port of the gateway Service.'),
    kubeconfig: kubeconfigKey(),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { functionname: 'falco-response' },
  enabled: (options) => options.functionname !== '',
  // Each request runs the function once; 8 at once keep up with a burst without flooding a gateway that scales from zero.
  concurrency: 8,
  directUrl: (o) => `http://${o.gatewayservice}.${o.gatewaynamespace}:${o.gatewayport}/function/${o.functionname}.${o.functionnamespace}`,
  directContentType: 'application/json; charset=utf-8',
  proxyPath: (o) => ({ namespace: o.gatewaynamespace, service: o.gatewayservice, port: o.gatewayport, path: `/function/${o.functionname}.${o.functionnamespace}` }),
  // falcosidekick sends event-id (a new uuid per request) through the service proxy only; here the
  // alert's uuid, the same on a retry, so that the function can drop a replay.
  headers: (alert, _options, direct): Record<string, string> => (direct ? {} : { 'event-id': alert.uuid }),
});
