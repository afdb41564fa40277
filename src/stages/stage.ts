import type { Stage } from '../errors.js';

/**
 * One step of a page's way through the pipeline, as an OCR-D processor's per-page work: `run` takes
 * the stage's input and gives its output. Set-up and shut-down belong to what a stage is handed (the
 * recogniser pool, the storage); the pipeline times each run, checks for cancellation before it and
 * types whatever it throws (src/pipeline/page-job.ts), so a stage does none of that itself.
 */
export interface PageStage<In, Out> {
  readonly name: Stage;
  run(input: In): Promise<Out> | Out;
}
