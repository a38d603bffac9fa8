import { collectDumps } from './collect-dumps.js';
import { runTriage } from './run-triage.js';
import { rowJson, summaryLines, tableLines } from './triage-report.js';

const USAGE = 'usage: crashkd triage [--json | --jsonl] [--script FILE] [-j N] [-y SYMPATH] [-i IMAGEPATH] PATH...';

/** `crashkd triage PATH...`: one row per dump, then the buckets. Exit code 0 unless misused. */
export async function triageMain(argv: readonly string[]): Promise<number> {
  const paths: string[] = [];
  let format: 'table' | 'json' | 'jsonl' = 'table';
  let script: string | undefined;
  let jobs: number | undefined;
  let symbolPath: string | undefined;
  let imagePath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`option '${a}' needs a value`);
      return v;
    };
    try {
      if (a === '--json') format = 'json';
      else if (a === '--jsonl') format = 'jsonl';
      else if (a === '--script') script = value();
      else if (a === '-j') jobs = Number(value());
      else if (a === '-y') symbolPath = value();
      else if (a === '-i') imagePath = value();
      else if (a.startsWith('-')) throw new Error(`unknown option '${a}'`);
      else paths.push(a);
    } catch (e) {
      process.stderr.write(`crashkd triage: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
  }
  if (paths.length === 0 || (jobs !== undefined && !(jobs >= 1))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const files = collectDumps(paths);
  const progress = process.stderr.isTTY && format === 'table';
  const rows = await runTriage(files, {
    ...(jobs ? { jobs } : {}),
    ...(script ? { script } : {}),
    ...(symbolPath ? { symbolPath } : {}),
    ...(imagePath ? { imagePath } : {}),
    onRow: (row, done, total) => {
      if (format === 'jsonl') process.stdout.write(`${rowJson(row)}\n`);
      if (progress) process.stderr.write(`\r[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30)}] ${done}/${total}`);
    },
  });
  if (progress) process.stderr.write('\n');
  if (format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  if (format === 'table') process.stdout.write(`${[...tableLines(rows), '', ...summaryLines(rows)].join('\n')}\n`);
  return 0;
}
