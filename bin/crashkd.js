#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ by `npm run build` for start-up time.
import { main } from '../dist/crashkd.mjs';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`crashkd: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
