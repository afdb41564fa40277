/**
 * The viewer's page (viewer.html, viewer.css, viewer.js in this folder): plain files, no framework,
 * found from src/ (tests) and dist/ (the build) alike, as the schemas are.
 */
import { readFileSync } from 'node:fs';

export type AssetName = 'viewer.html' | 'viewer.css' | 'viewer.js';

export function readAsset(name: AssetName): string {
  return readFileSync(new URL(`../../src/view/${name}`, import.meta.url), 'utf8');
}
