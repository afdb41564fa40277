/**
 * Validation by the real xmllint (Debian libxml2-utils) against the schemas in schema/xml, offline
 * (--nonet: the imports resolve to the local xlink.xsd, see schema/xml/README.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ALTO_XSD = fileURLToPath(new URL('../../schema/xml/alto-4-4.xsd', import.meta.url));
export const METS_XSD = fileURLToPath(new URL('../../schema/xml/mets-1.12.1.xsd', import.meta.url));

export interface XmllintResult {
  readonly ok: boolean;
  /** xmllint's messages (stderr), e.g. "page-1.xml:12: element String: Schemas validity error : …". */
  readonly messages: string;
}

/** Validates a file, or XML text (written to a temporary file first), against `xsd`. */
export function xmllint(xsd: string, xml: { file: string } | { text: string }): XmllintResult {
  const file = 'file' in xml ? xml.file : writeTemp(xml.text);
  const run = spawnSync('xmllint', ['--nonet', '--noout', '--schema', xsd, file], { encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint could not run (apt-get install libxml2-utils): ${run.error.message}`);
  return { ok: run.status === 0, messages: run.stderr };
}

function writeTemp(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'newsprint-xml-')), 'doc.xml');
  writeFileSync(file, text);
  return file;
}
