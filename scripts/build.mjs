// Bundles the CLI into one ESM file: module resolution of ink's many small files dominates
// start-up (docs/stack.md measured ~450 ms unbundled vs ~180 ms bundled). iced-x86 stays
// external because it loads its .wasm beside itself, and is only required on first use.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

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
// Code splitting keeps ink/react (the interactive UI), the MCP SDK and triage in chunks of their
// own, so plain `-c` runs do not parse them. Triage workers need an entry file of their own.
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
writeFileSync('dist/devtools-stub.mjs', 'export default {connectToDevTools(){}, initialize(){}};\n');
await build({
  ...common,
  entryPoints: { crashkd: 'src/cli/main.ts', 'triage-worker': 'src/triage/triage-worker.ts' },
  outdir: 'dist',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
});
