/** File name globs, shared by the SFTP pickup rules and the CSV mappings' file name patterns. */

/** Turns a glob (`*` any run of characters, `?` one character) into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}
