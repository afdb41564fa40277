import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../package.json') as { version: string };

/** The package version; recorded in every output as pipeline.version. */
export const PIPELINE_VERSION: string = pkg.version;
