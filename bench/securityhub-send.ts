// `node bench/securityhub-send.ts`: what one BatchImportFindings call of 100 findings costs in CPU
// per alert, six ways, against a local HTTP server that answers as Security Hub does: the AWS
// SDK's client with its logger middleware removed (as outputs/awssecurityhub/client.ts makes it),
// the same client sent an empty command whose body a build-step middleware replaces with the
// findings' own JSON, as a string, as bytes converted from the joined string, and as bytes written
// in place by the output's findingsBody (what the output ships, outputs/awssecurityhub/send.ts: the
// SDK's signing, credentials and error parsing without its schema serialiser), the same findings as
// one SigV4-signed undici POST of their JSON (what replacing the SDK's send would cost; round 24
// built it and measured no gain in the daemon, docs/performance.md), and the output's own mapping
// (toFinding) alone, which all include.
//   node bench/securityhub-send.ts [--calls 300] [--rounds 3]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { SignatureV4 } from '@smithy/signature-v4';
import { request } from 'undici';
import { serializeFinding, toFinding } from '../outputs/awssecurityhub/finding.ts';
import { findingsBody } from '../outputs/awssecurityhub/send.ts';
import { thawAlert } from '../src/alert/serialize.ts';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { machineCpu, stealShare } from './proc.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '300' }, rounds: { type: 'string', default: '3' } } });
const CALLS = Number(values.calls);
const FINDINGS = 100;

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"FailedCount":0,"SuccessCount":${FINDINGS},"FailedFindings":[]}`);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const endpoint = `http://127.0.0.1:${port}`;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'bench-secret' };
const hub = new SecurityHubClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
hub.middlewareStack.remove('loggerMiddleware');
const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'securityhub', sha256: hub.config.sha256 });
const target = { accountId: '123456789012', region: 'us-east-1', partition: 'aws', productArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default' };
const alerts = Array.from({ length: FINDINGS }, (_, i) => thawAlert(falcoAlertJson(i)));
const findings = () => alerts.map((a) => toFinding(a, target));

const joined = (parts: { json: string }[]) => `{"Findings":[${parts.map((p) => p.json).join(',')}]}`;

/** The SDK's send of an empty command whose body a build-step middleware replaces with the findings' JSON, as `asBody` makes it. */
async function sendWithBody(asBody: (parts: { json: string; bytes: number }[]) => string | Buffer): Promise<void> {
  const body = asBody(findings().map(serializeFinding));
  const command = new BatchImportFindingsCommand({ Findings: [] });
  command.middlewareStack.add(
    (next) => (args) => {
      (args.request as { body: unknown }).body = body;
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'findingsBody' },
  );
  await hub.send(command);
}

const WAYS: [string, () => Promise<void>][] = [
  [
    'AWS SDK client, its own serialiser',
    async () => {
      await hub.send(new BatchImportFindingsCommand({ Findings: findings() as AwsSecurityFinding[] }));
    },
  ],
  ['AWS SDK client, the findings JSON as its body, a string (shipped until round 31)', () => sendWithBody(joined)],
  ['the same, the joined string as bytes (round 31)', () => sendWithBody((parts) => Buffer.from(joined(parts)))],
  ['the same, bytes written in place (as shipped)', () => sendWithBody(findingsBody)],
  [
    'SigV4 + undici POST',
    async () => {
      const body = JSON.stringify({ Findings: findings() });
      const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/findings/import', query: {}, headers: { 'content-type': 'application/json', host: `127.0.0.1:${port}` }, body });
      const res = await request(`${endpoint}/findings/import`, { method: 'POST', headers: signed.headers, body });
      await res.body.json();
    },
  ],
  [
    'toFinding alone (in both)',
    async () => {
      findings();
    },
  ],
];

console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}: ${CALLS} calls of ${FINDINGS} findings per way and round\n`);
console.log('| way | round | CPU µs per alert | steal % |');
console.log('|---|---|---|---|');
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const [name, call] of WAYS) {
    for (let i = 0; i < 30; i++) await call(); // warm up
    const machine = machineCpu();
    const before = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await call();
    const used = process.cpuUsage(before);
    console.log(`| ${name} | ${round} | ${((used.user + used.system) / CALLS / FINDINGS).toFixed(1)} | ${(100 * stealShare(machine, machineCpu())).toFixed(1)} |`);
  }
}
server.close();
hub.destroy();
