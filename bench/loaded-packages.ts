// `node --import bench/loaded-packages.ts …`: at exit, writes to $LOADED_PACKAGES_OUT the packages
// of node_modules the process loaded, with their module counts (bench/idle-rss.ts prints them).
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const counts = new Map<string, number>();
registerHooks({
  load(url, context, nextLoad) {
    const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
    if (pkg) counts.set(pkg, (counts.get(pkg) ?? 0) + 1);
    return nextLoad(url, context);
  },
});
process.on('exit', () => {
  const out = process.env.LOADED_PACKAGES_OUT;
  if (out) writeFileSync(out, JSON.stringify(Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]))));
});
