import { readFileSync } from 'node:fs';

/** What `llvm-pdbutil dump -summary -modules -publics` printed for one PDB. */
export interface PdbutilReference {
  blockSize: number;
  numBlocks: number;
  numStreams: number;
  signature: number;
  age: number;
  /** Uppercase, no dashes or braces. */
  guid: string;
  modules: { name: string; obj: string; debugStream: number }[];
  publics: { name: string; flags: string; segment: number; offset: number }[];
}

/** Parses a `*.llvm-pdbutil.txt` reference file (indentation varies; only the shapes matter). */
export function readPdbutilReference(path: string): PdbutilReference {
  const text = readFileSync(path, 'utf8');
  const num = (label: string): number => {
    const m = new RegExp(`^\\s*${label}: (\\d+)`, 'm').exec(text);
    if (!m) throw new Error(`${path}: no "${label}" line`);
    return Number(m[1]);
  };
  const guid = /^\s*GUID: \{([0-9A-F-]+)\}/m.exec(text)?.[1]?.replace(/-/g, '');
  if (!guid) throw new Error(`${path}: no GUID line`);
  const modules: PdbutilReference['modules'] = [];
  const modRe = /^\s*Mod (\d+) \| `(.*)`:\s*\n\s*Obj: `(.*)`:\s*\n\s*debug stream: (\d+)/gm;
  for (let m = modRe.exec(text); m; m = modRe.exec(text)) {
    modules.push({ name: m[2]!, obj: m[3]!, debugStream: Number(m[4]) });
  }
  const publics: PdbutilReference['publics'] = [];
  const pubRe = /S_PUB32 \[size = \d+\] `(.*)`\s*\n\s*flags = ([^,]+), addr = (\d+):(\d+)/g;
  for (let m = pubRe.exec(text); m; m = pubRe.exec(text)) {
    publics.push({ name: m[1]!, flags: m[2]!, segment: Number(m[3]), offset: Number(m[4]) });
  }
  return {
    blockSize: num('Block Size'),
    numBlocks: num('Number of blocks'),
    numStreams: num('Number of streams'),
    signature: num('Signature'),
    age: num('Age'),
    guid,
    modules,
    publics,
  };
}
