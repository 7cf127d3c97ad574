// Shape of $PEREGRINE_IT_STATE/securityhub.json, written by test/infra/securityhub/start.sh.
// Usage: const hub = await useInfra<SecurityHubInfra>('securityhub');
//        new SecurityHubClient({ endpoint: hub.endpoint, region: hub.region,
//          credentials: { accessKeyId: hub.accessKeyId, secretAccessKey: hub.secretAccessKey } });
// The server is moto (moto_server): Security Hub validation is shallow (it does not enforce the
// required ASFF fields), so tests must assert those themselves. ProductArn for imports:
// `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`.
export interface SecurityHubInfra {
  /** e.g. "http://127.0.0.1:40123" — pass as the SDK `endpoint`. */
  endpoint: string;
  /** "us-east-1" */
  region: string;
  /** moto's default account, "123456789012": the account every request runs as. */
  accountId: string;
  /** "testing" — any static key is accepted. */
  accessKeyId: string;
  /** "testing" */
  secretAccessKey: string;
  /** moto_server's stdout/stderr. */
  log: string;
}

/** The ProductArn Security Hub expects for findings imported by this account (the "default" product). */
export function defaultProductArn(hub: SecurityHubInfra): string {
  return `arn:aws:securityhub:${hub.region}:${hub.accountId}:product/${hub.accountId}/default`;
}
