/**
 * The pipeline's provenance and fingerprint: a hash of everything that changes a document's output,
 * so that a run redoes documents, and ignores checkpoints, made by a different pipeline, and only
 * then. Its inputs are recorded next to it (document.json `pipeline`), so a changed fingerprint can
 * be explained by diffing two outputs' `pipeline` objects.
 *
 * Inputs: PIPELINE_REVISION (newsprint's own code, bumped by hand), the engine and model versions
 * (read from the installed packages' package.json by the recogniser), and every parameter that
 * changes output (the engine's, the text source, the preprocessing/layout/OCR-mode choices).
 * Parameters that change only speed (OUTPUT_NEUTRAL_PARAMETERS) are recorded but not hashed.
 */
import { createHash } from 'node:crypto';
import type { EngineInfo } from '../ocr/types.js';
import type { PipelineJson } from '../output/types.js';
import { PIPELINE_REVISION, PIPELINE_VERSION } from '../version.js';
import type { TextSourceChoice } from './page-job.js';

/** Recorded in `pipeline.parameters` but left out of the hash: they change how fast, not what. */
export const OUTPUT_NEUTRAL_PARAMETERS: ReadonlySet<string> = new Set(['workers', 'recycleAfterPages', 'threadsPerSession']);

/** The fixed stage choices of this code; named in the output so a reader sees what ran. */
const STAGE_PARAMETERS = { preprocess: 'deskew+normalise', layout: 'rules-xycut', ocrModes: 'column=block,headline=line' } as const;

export function pipelineInfo(engine: EngineInfo, workers: number, textSource: TextSourceChoice = 'auto'): PipelineJson {
  const described = {
    name: 'newsprint' as const,
    version: PIPELINE_VERSION,
    revision: PIPELINE_REVISION,
    engine: { name: engine.name, version: engine.version, core: engine.core, model: engine.model, modelVersion: engine.modelVersion },
    parameters: { engine: engine.id, ...engine.parameters, workers, textSource, ...STAGE_PARAMETERS },
  };
  return { ...described, fingerprint: pipelineFingerprint(described) };
}

/** sha256 (hex) of the revision, the engine and the output-changing parameters, in a canonical order. */
export function pipelineFingerprint(pipeline: Pick<PipelineJson, 'revision' | 'engine' | 'parameters'>): string {
  const parameters = Object.entries(pipeline.parameters)
    .filter(([name]) => !OUTPUT_NEUTRAL_PARAMETERS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const engine = pipeline.engine;
  const canonical = JSON.stringify({
    revision: pipeline.revision,
    engine: [engine.name, engine.version, engine.core, engine.model, engine.modelVersion],
    parameters,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
