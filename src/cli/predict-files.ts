/**
 * What `digits predict` reads: each argument is an image file, a folder (its image files, not
 * recursive) or a glob whose last part has wildcards (`scans/*.png`, quoted so the shell leaves it
 * alone). Node 20 has no fs.glob, and one path segment of `*`, `?` and `[...]` needs no library.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';

/** File name endings taken from a folder or a glob. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff'];

/** Most files one command predicts (a folder of a million files is a mistake, not a job). */
export const MAX_FILES = 100_000;

/**
 * The files to predict, in argument order; a folder's and a glob's files sorted by name. A plain
 * file is kept even if it is missing or not an image (reading it reports the problem).
 * @throws UserError when a folder or glob matches no image, or there are over MAX_FILES
 */
export function expandImageArgs(args: string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (hasWildcard(path.basename(arg)) && !fs.existsSync(arg)) out.push(...globFiles(arg));
    else if (isFolder(arg)) out.push(...folderImages(arg));
    else out.push(arg);
    if (out.length > MAX_FILES) throw new UserError(`over ${MAX_FILES.toLocaleString('en-US')} files to predict; split the work into smaller folders`);
  }
  return out;
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

function folderImages(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    throw new UserError(`${dir}: the folder cannot be read (${(err as NodeJS.ErrnoException).code}); check its permissions`);
  }
  const files = names.filter(isImageName).sort().map((n) => path.join(dir, n)).filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  if (files.length === 0) throw new UserError(`${dir}: the folder holds no image files (${IMAGE_EXTENSIONS.join(', ')}); name image files or another folder`);
  return files;
}

function hasWildcard(segment: string): boolean {
  return /[*?[]/.test(segment);
}

function globFiles(pattern: string): string[] {
  const dir = path.dirname(pattern);
  if (hasWildcard(dir)) throw new UserError(`${JSON.stringify(pattern)}: wildcards are allowed in the file name only, not in folders; e.g. "scans/*.png"`);
  const matcher = segmentRegExp(path.basename(pattern));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    throw new UserError(`${JSON.stringify(pattern)}: the folder ${dir} does not exist or cannot be read; check the path`);
  }
  const files = names.filter((n) => matcher.test(n) && !n.startsWith('.')).sort().map((n) => path.join(dir, n)).filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  if (files.length === 0) throw new UserError(`${JSON.stringify(pattern)}: no file matches; check the pattern (wildcards: * ? [abc])`);
  return files;
}

/** `*` any run of characters, `?` one character, `[abc]`/`[a-z]`/`[!a]` one of a set; the rest literal. */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[' && segment.indexOf(']', i + 2) > 0) {
      const end = segment.indexOf(']', i + 2);
      let body = segment.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|[\\\]]/g, '\\$&'); // a "[" without its "]" is literal
  }
  return new RegExp(`^${re}$`);
}
