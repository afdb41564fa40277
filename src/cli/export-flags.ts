/** `--formats` and `--iiif-base`, shared by ingest and run. */
import { DEFAULT_FORMATS, EXPORT_FORMATS, parseFormats, parseIiifBase, type ExportOptions } from '../stages/publish/exports.js';
import { DEFAULT_IIIF_BASE } from '../output/iiif.js';

export const EXPORT_FLAGS = {
  formats: { type: 'string' },
  'iiif-base': { type: 'string' },
} as const;

export const EXPORT_FLAGS_HELP = `  --formats <list>                      outputs to write, of ${EXPORT_FORMATS.join(',')} (default ${DEFAULT_FORMATS.join(',')}):
                                        ALTO 4.4 per page (alto/page-N.xml), METS (mets.xml), IIIF manifest (manifest.json)
  --iiif-base <url>                     base URL of page images in manifest.json (default ${DEFAULT_IIIF_BASE}, as \`newsprint view\` serves)`;

/** ExportOptions from the flags; bad values throw a ConfigError before anything runs. */
export function exportOptionsFromFlags(values: { formats?: string | undefined; 'iiif-base'?: string | undefined }): ExportOptions | undefined {
  const formats = parseFormats(values.formats);
  const iiifBase = parseIiifBase(values['iiif-base']);
  if (!formats && !iiifBase) return undefined;
  return { ...(formats ? { formats } : {}), ...(iiifBase ? { iiifBase } : {}) };
}
