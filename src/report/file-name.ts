/**
 * File names made from user strings (experiment names, run ids), in one place. An experiment's
 * `name:` is a label and may hold anything; the report file named after it must stay inside its
 * folder, create no folders and be a name every file system takes.
 */
import crypto from 'node:crypto';

/** Bytes a file name may have on ext4, xfs, btrfs and tmpfs, with room for ".html" and a temp suffix. */
const MAX_NAME_BYTES = 200;

/**
 * A safe file name for `label` plus `extension`: characters other than letters, digits and
 * `. _ + -` become `_` (so no `/`, `\`, NUL or control characters), a leading dot becomes `_` (no
 * `..`, no hidden files), and a name too long for a file system is cut and given 8 hex digits of
 * the label's sha256 so that long names sharing a beginning stay apart.
 * @example safeFileName('../../escaped', '.html') // '_._.._escaped.html' (no '/': stays in its folder)
 * @example safeFileName('cnn-grid', '.html') // 'cnn-grid.html'
 */
export function safeFileName(label: string, extension = ''): string {
  let name = label.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^\./, '_');
  if (name === '') name = '_';
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    const hash = crypto.createHash('sha256').update(label).digest('hex').slice(0, 8);
    name = `${name.slice(0, MAX_NAME_BYTES - 9)}-${hash}`;
  }
  return name + extension;
}
