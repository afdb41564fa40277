/**
 * The layout stage: where a page's stories, headlines, bylines, columns, lines, photos, captions and
 * furniture are, in reading order, before anything is recognised. Input: a scanned page after
 * preprocessing (with the raster as scanned, to tell a bilevel scan), or a born-digital page's sketch
 * with its text layer. Output: a PageLayout.
 */
import type { GrayImage } from '../../image/gray-image.js';
import type { TextLayerItem } from '../rasterise/index.js';
import type { PageStage } from '../stage.js';
import { layoutPage } from './layout-page.js';
import type { PageLayout } from './types.js';

export type LayoutInput =
  | { readonly image: GrayImage; readonly scanned: GrayImage }
  | { readonly image: GrayImage; readonly textLayer: readonly TextLayerItem[] };
export type LayoutOutput = PageLayout;

export const layoutStage: PageStage<LayoutInput, LayoutOutput> = { name: 'layout', run: layoutPage };

export { analysePage, type AnalyseOptions } from './analyse.js';
export type { BodyColumn, LayoutBlock, LayoutLine, PageLayout, RegionRole } from './types.js';
