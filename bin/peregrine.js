#!/usr/bin/env node
// The `peregrine` command of an installed package. Node refuses to strip TypeScript types under
// node_modules (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), so it cannot run src/main.ts there:
// this runs the compiled daemon (`npm run build` writes dist/), or says how to get it.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18) || (major === 23 && minor < 6)) {
  process.stderr.write(`peregrine: Node ${process.versions.node} is too old: it needs Node 22.18+ or 23.6+ (node:sqlite, TypeScript type stripping), 24 recommended\n`);
  process.exit(1);
}
const main = new URL('../dist/src/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`peregrine: ${fileURLToPath(main)} is missing; build it with "npm run build" in ${root}, or run from a checkout with "node src/main.ts"\n`);
  process.exit(1);
}
await import(main.href);
