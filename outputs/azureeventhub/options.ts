// azure.eventhub's keys: falcosidekick's namespace and name (its YAML spells the section eventHub;
// keys are read in any case), and Peregrine's connectionstring, a SAS connection string used
// instead of DefaultAzureCredential when set. Checks at load what the SDK would refuse later.
import { secret, z, type OptionProblem } from '../../src/plugin/index.ts';

export const schema = z.object({
  namespace: z
    .string()
    .default('')
    .describe('Fully qualified namespace of the event hub, e.g. mynamespace.servicebus.windows.net (reached with DefaultAzureCredential). Not needed with connectionstring.'),
  name: z.string().default('').describe('Name of the event hub. Setting it turns the output on.'),
  connectionstring: secret(
    z
      .string()
      .default('')
      .describe(
        'Peregrine extension: a shared access signature connection string (Endpoint=sb://<namespace>/;SharedAccessKeyName=<policy>;SharedAccessKey=<key>, as the portal shows it, or with SharedAccessSignature=<token>). When set it is used instead of DefaultAzureCredential and namespace. UseDevelopmentEmulator=true makes a plain AMQP connection (the Event Hubs emulator).',
      ),
  ),
});

export type Options = z.output<typeof schema>;

/** The fields of a connection string ("Key=value;…"; keys as the portal writes them, read in any case). */
export function connectionStringFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return fields;
}

/** The namespace host a connection string's Endpoint names (sb://host[:port]/ → host[:port]). */
export function endpointHost(endpoint: string): string {
  return endpoint.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

export function validate(options: Options): OptionProblem[] {
  if (options.connectionstring !== '') return connectionStringProblems(options);
  if (options.namespace === '') return [{ path: 'namespace', message: 'is required when name is set (or set connectionstring)' }];
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(options.namespace) || !options.namespace.includes('.')) {
    return [{ path: 'namespace', message: `must be the namespace's fully qualified host name, such as mynamespace.servicebus.windows.net (got "${options.namespace}")` }];
  }
  return [];
}

function connectionStringProblems(options: Options): OptionProblem[] {
  const fields = connectionStringFields(options.connectionstring);
  const problem = (message: string): OptionProblem[] => [{ path: 'connectionstring', message }];
  const endpoint = fields.get('endpoint') ?? '';
  if (!/^sb:\/\/[^/;]+\/?$/i.test(endpoint)) return problem('must have Endpoint=sb://<namespace>/ (Endpoint=sb://mynamespace.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…)');
  const sas = fields.get('sharedaccesssignature') ?? '';
  if (sas === '' && ((fields.get('sharedaccesskeyname') ?? '') === '' || (fields.get('sharedaccesskey') ?? '') === '')) {
    return problem('must have SharedAccessKeyName and SharedAccessKey, or SharedAccessSignature');
  }
  const entityPath = fields.get('entitypath');
  if (entityPath !== undefined && entityPath !== options.name) return [{ path: 'name', message: `is "${options.name}" but connectionstring's EntityPath is "${entityPath}": make them the same` }];
  if (options.namespace !== '' && options.namespace.toLowerCase() !== endpointHost(endpoint).toLowerCase()) {
    return [{ path: 'namespace', message: `is ${options.namespace} but connectionstring's Endpoint is ${endpointHost(endpoint)}: leave namespace empty or make them the same` }];
  }
  return [];
}
