// Shape of $PEREGRINE_IT_STATE/chromium.json, written by test/infra/chromium/start.sh.
// Usage: const { executablePath } = await useInfra<ChromiumInfra>('chromium');
//        const browser = await chromium.launch({ executablePath }); // playwright-core, no download
export interface ChromiumInfra {
  /** "/usr/bin/chromium" (Debian's package). */
  executablePath: string;
}
