/**
 * The recognise stage: the text of every region a PageLayout names. A scan's regions are read by a
 * Recognizer (src/ocr/: the engine and its pool); a born-digital page's from its text layer. Output:
 * a RecognizedPage, the layout's blocks with their text lines.
 */
import type { GrayImage } from '../../image/gray-image.js';
import type { Recognizer } from '../../ocr/types.js';
import type { PageLayout } from '../layout/index.js';
import type { TextLayerItem } from '../rasterise/index.js';
import type { PageStage } from '../stage.js';
import { textLayerReader } from './read-text-layer.js';
import { readLayout, recognisePage, type RecognizedPage } from './recognise.js';

export type RecogniseInput =
  | { readonly layout: PageLayout; readonly image: GrayImage; readonly recognizer: Recognizer; readonly pageKey: string }
  | { readonly layout: PageLayout; readonly textLayer: readonly TextLayerItem[] };
export type RecogniseOutput = RecognizedPage;

/** A text run belongs to a region when its centre lies within this share of the body glyph height around it. */
const TEXT_LAYER_PAD = 0.3;

export const recogniseStage: PageStage<RecogniseInput, RecogniseOutput> = {
  name: 'recognise',
  run(input) {
    if ('textLayer' in input) {
      return readLayout(input.layout, textLayerReader(input.textLayer, Math.round(input.layout.bodyGlyphHeight * TEXT_LAYER_PAD)));
    }
    return recognisePage(input.image, input.layout, input.recognizer, input.pageKey);
  },
};

export type { RecognizedBlock, RecognizedColumn, RecognizedPage, RegionReader, TextLine } from './recognise.js';
