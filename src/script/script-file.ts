/**
 * Script files as `$<`, `$$><` and `$$>a<` read them: argument replacement, the joined form
 * (every line break becomes `;`) and the map back from an offset to a file line for errors.
 */

/** Splits `$$>a<` text into the file name and its arguments: blank-separated, `"` groups. */
export function splitScriptArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/**
 * Replaces `${$argN}` (N = 0 is the script name), `${$argc}` and the `/d:` and `/f:` forms
 * (`${/d:$arg1}` is 1 when given). Missing arguments stay literal, as the run-script page says.
 */
export function substituteScriptArgs(text: string, scriptName: string, args: readonly string[]): string {
  const value = (n: string): string | undefined => {
    if (n === 'c') return String(args.length);
    const i = Number(n);
    return i === 0 ? scriptName : args[i - 1];
  };
  return text.replace(/\$\{(\/[df]:)?\$arg(c|\d+)\}/g, (whole, sw: string | undefined, n: string) => {
    const v = value(n);
    if (sw === '/d:') return v === undefined ? '0' : '1';
    if (sw === '/f:') return v ?? '';
    return v ?? whole;
  });
}

/** A script joined into one program, with the file line of every part of it. */
export interface JoinedScript {
  readonly text: string;
  /** Joined-text offset where each kept line starts, with its 1-based file line number. */
  readonly starts: ReadonlyArray<readonly [number, number]>;
}

/** Joins the non-empty lines of a script with `;` (trimmed, as dbgeng does for `$$><`). */
export function joinScript(text: string): JoinedScript {
  const starts: Array<[number, number]> = [];
  let joined = '';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    if (joined !== '') joined += ';';
    starts.push([joined.length, index + 1]);
    joined += line;
  });
  return { text: joined, starts };
}

/** The 1-based file line holding joined-text `offset`. */
export function lineOfOffset(script: JoinedScript, offset: number): number {
  let lo = 0;
  let hi = script.starts.length - 1;
  let line = script.starts[0]?.[1] ?? 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, n] = script.starts[mid]!;
    if (start <= offset) {
      line = n;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return line;
}
