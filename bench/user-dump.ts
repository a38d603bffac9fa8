/**
 * Issue 6: launch to the first `0:000>` prompt on a real minidump, then `kv` and `q`, beside
 * lldb doing the same (`lldb -b -c FILE -o bt`, external symbol lookups off) when lldb is
 * installed. Prints medians of 10 runs; not a test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const DUMP = path.resolve('../shared/testdata/rust-minidump+rust-minidump/testdata/invalid-parameter.dmp');
const RUNS = 10;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeRuns(cmd: string, args: string[]): number | undefined {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', input: '' });
    if (r.status !== 0 && r.error) return undefined;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

if (!existsSync(DUMP)) {
  console.log(`user-dump bench: skipped (${DUMP} is absent)`);
} else {
  const ours = timeRuns(process.execPath, ['bin/crashkd.js', DUMP, '-c', 'kv; q']);
  console.log(`crashkd open ${path.basename(DUMP)} + kv + q: median ${ours?.toFixed(1)} ms of ${RUNS}`);
  const lldb = ['lldb-22', 'lldb'].find((l) => spawnSync(l, ['--version']).status === 0);
  if (!lldb) {
    console.log('lldb: not installed (apt-get install lldb-22 to compare); skipped');
  } else {
    const theirs = timeRuns(lldb, ['-O', 'settings set symbols.enable-external-lookup false', '-b', '-c', DUMP, '-o', 'bt']);
    console.log(`${lldb} -b -c ${path.basename(DUMP)} -o bt: median ${theirs?.toFixed(1)} ms of ${RUNS}`);
    if (ours && theirs) console.log(`crashkd / lldb: ${(ours / theirs).toFixed(2)} (goal <= 0.5)`);
  }
}
