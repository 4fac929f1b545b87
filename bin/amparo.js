#!/usr/bin/env -S node --max-semi-space-size=64
// Amparo's command line. Runs the TypeScript sources directly through tsx, so there is no build step.
// A young generation of up to 64 MB a semi-space (V8's default is 16): imports, exports and bulk
// loads make short-lived objects by the million, and the collector took a sixth of an import's time
// with the default (docs/benchmarks.md). It only grows under that load.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});
