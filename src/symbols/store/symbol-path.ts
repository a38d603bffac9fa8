/**
 * `_NT_SYMBOL_PATH` / `.sympath` parsing (formats.md 8.2). Elements are `;`-separated and searched
 * left to right. An empty store token (`srv**url`, `cache*`) means the default downstream store
 * and is kept as `undefined` so the caller decides where that is.
 */

/** A plain directory (or UNC share): `<dir>/<file>` and the store layout under it. */
export interface FolderElement {
  readonly kind: 'folder';
  readonly path: string;
}

/**
 * `srv*a*b*url` / `symsrv*symsrv.dll*a*b*url`: a cascade of stores searched left to right; a hit
 * in a later store is copied into every earlier one. Local entries are directories; the last
 * entry may be an http(s) URL.
 */
export interface ServerElement {
  readonly kind: 'server';
  /** Local stores in order; `undefined` = the default downstream store. */
  readonly stores: readonly (string | undefined)[];
  /** Upstream http(s) store, if any (always last in the cascade). */
  readonly url?: string;
  /** The DLL named by `symsrv*<dll>*...` (informational). */
  readonly dll?: string;
}

/** `cache*dir`: caches what elements to its right find; `dir` undefined = the default cache. */
export interface CacheElement {
  readonly kind: 'cache';
  readonly path: string | undefined;
}

/** One element of a symbol path. */
export type SymbolPathElement = FolderElement | ServerElement | CacheElement;

/** True for `http://` and `https://` store names. */
export function isUrl(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

function parseCascade(tokens: readonly string[], dll?: string): ServerElement {
  const stores: (string | undefined)[] = [];
  let url: string | undefined;
  for (const raw of tokens) {
    const tok = unquote(raw);
    if (isUrl(tok)) {
      // An HTTP store must be last: anything after it is ignored.
      url = tok;
      break;
    }
    stores.push(tok === '' ? undefined : tok);
  }
  return { kind: 'server', stores, ...(url !== undefined ? { url } : {}), ...(dll !== undefined ? { dll } : {}) };
}

/** Parses a symbol path string into elements; empty elements are dropped. */
export function parseSymbolPath(text: string): SymbolPathElement[] {
  const out: SymbolPathElement[] = [];
  for (const raw of text.split(';')) {
    const element = raw.trim();
    if (element === '') continue;
    const parts = element.split('*');
    const head = parts[0]!.trim().toLowerCase();
    if (parts.length > 1 && head === 'srv') {
      out.push(parseCascade(parts.slice(1)));
    } else if (parts.length > 2 && head === 'symsrv') {
      out.push(parseCascade(parts.slice(2), parts[1]!.trim()));
    } else if (parts.length > 1 && head === 'cache') {
      const dir = unquote(parts.slice(1).join('*'));
      out.push({ kind: 'cache', path: dir === '' ? undefined : dir });
    } else {
      out.push({ kind: 'folder', path: unquote(element) });
    }
  }
  return out;
}

/** Formats elements back into symbol path syntax (what `.sympath` prints). */
export function formatSymbolPath(elements: readonly SymbolPathElement[]): string {
  return elements
    .map((e) => {
      if (e.kind === 'folder') return e.path;
      if (e.kind === 'cache') return `cache*${e.path ?? ''}`;
      const chain = [...e.stores.map((s) => s ?? ''), ...(e.url !== undefined ? [e.url] : [])].join('*');
      return e.dll !== undefined ? `symsrv*${e.dll}*${chain}` : `srv*${chain}`;
    })
    .join(';');
}
