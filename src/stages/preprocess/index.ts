/**
 * The preprocess stage: a page raster's gray image in; the same page turned level with its contrast
 * stretched, and the skew that was found, out.
 */
import type { GrayImage } from '../../image/gray-image.js';
import type { PageStage } from '../stage.js';
import { preprocess, type PreprocessedPage } from './preprocess.js';

export type PreprocessInput = GrayImage;
export type PreprocessOutput = PreprocessedPage;

export const preprocessStage: PageStage<PreprocessInput, PreprocessOutput> = { name: 'preprocess', run: (image) => preprocess(image) };

export { preprocess, estimateSkew, contrastStretch, type PreprocessOptions, type PreprocessedPage } from './preprocess.js';
export { deskewPage, deskewPlacement, type Placement } from './deskew.js';
