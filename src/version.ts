import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../package.json') as { version: string };

/** The package version; recorded in every output as pipeline.version. Not used to decide anything. */
export const PIPELINE_VERSION: string = pkg.version;

/**
 * The revision of newsprint's own output-making code. Bump it by hand in any change that changes
 * what a document's output is (layout, reading order, assembly, text clean-up, rasterising...):
 * it is part of the pipeline fingerprint (src/pipeline/fingerprint.ts), so the next nightly run
 * processes every document again and does not resume from checkpoints of the older code. The
 * golden-output test (tests/e2e/golden.test.ts) fails when the output changed and this did not;
 * `npm run golden:update` then records the new output with the new revision.
 */
export const PIPELINE_REVISION = 4;
