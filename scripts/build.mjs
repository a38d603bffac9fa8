// Bundles the CLI into one ESM file: module resolution of ink's many small files dominates
// start-up (docs/stack.md measured ~450 ms unbundled vs ~180 ms bundled). iced-x86 stays
// external because it loads its .wasm beside itself, and is only required on first use.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
writeFileSync('dist/devtools-stub.mjs', 'export default {connectToDevTools(){}, initialize(){}};\n');
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': './dist/devtools-stub.mjs' },
  external: ['iced-x86'],
  banner: { js: "import {createRequire as __crashkdRequire} from 'module'; const require = __crashkdRequire(import.meta.url);" },
  logLevel: 'warning',
};
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/crashkd.mjs' });
// Triage workers load their own bundle (worker_threads need a file to start).
await build({ ...common, entryPoints: ['src/triage/triage-worker.ts'], outfile: 'dist/triage-worker.mjs' });
