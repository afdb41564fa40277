/**
 * ALTO 4.4 for one page of a document (`<documentId>/alto/page-N.xml`), built from document.json
 * alone:
 *   Description  pixel units, the source, and the processing steps with their software and
 *                parameters (from document.json's `pipeline`)
 *   Tags         one LayoutTag per block role and furniture role, referenced by TAGREFS
 *   ReadingOrder one OrderedGroup per article (its blocks in reading order), furniture unordered
 *   Layout       Page > PrintSpace > TextBlock > TextLine > String (+ SP), Illustration for photos
 *
 * Coordinates are pixels of the page as newsprint analysed it (deskewed; PageJson widthPx/heightPx).
 * document.json has confidences per line only: every String of a line carries the line's WC, and a
 * line's Strings are its white-space separated runs, their boxes shared out along the line by
 * character count (Chinese text has no word boxes to give).
 */
import type { BBox } from '../image/gray-image.js';
import { articlesOnPage, furnitureBlocks, unionBox } from './page-articles.js';
import type { BlockJson, BlockType, DocumentJson, FurnitureRole, LineJson, PageJson, PipelineJson } from './types.js';
import { el, serialiseXml, xmlId, type XmlElement, type XmlNode } from './xml.js';

export const ALTO_NAMESPACE = 'http://www.loc.gov/standards/alto/ns-v4#';
const ALTO_SCHEMA_LOCATION = 'http://www.loc.gov/alto/v4/alto-4-4.xsd';
const LANGUAGE = 'zh';

/** Where a page's ALTO goes, relative to the document's folder (METS links it so). */
export const altoPath = (pageNumber: number): string => `alto/page-${pageNumber}.xml`;

export const blockTagId = (type: BlockType): string => `tag-${type}`;
const furnitureTagId = (role: FurnitureRole): string => `tag-furniture-${role}`;

const BLOCK_TYPE_DESCRIPTIONS: Readonly<Record<BlockType, string>> = {
  headline: 'headline',
  subheadline: 'subheadline',
  section: 'section label (栏目)',
  author: 'author line',
  byline: 'byline',
  body: 'body text, one block per column',
  caption: 'photo caption',
  photo: 'photograph',
  jump: 'jump line (转第N版 / 接第N版)',
  furniture: 'page furniture: masthead, date, page number, folio, advertisement',
};

export function serialiseAlto(doc: DocumentJson, page: PageJson): string {
  return serialiseXml(altoElement(doc, page));
}

export function altoElement(doc: DocumentJson, page: PageJson): XmlElement {
  const steps = processingSteps(doc.pipeline, page);
  return el(
    'alto',
    {
      xmlns: ALTO_NAMESPACE,
      'xmlns:xlink': 'http://www.w3.org/1999/xlink',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation': `${ALTO_NAMESPACE} ${ALTO_SCHEMA_LOCATION}`,
      SCHEMAVERSION: '4.4',
    },
    [
      el('Description', {}, [
        el('MeasurementUnit', {}, ['pixel']),
        el('sourceImageInformation', {}, [
          el('fileName', {}, [doc.source.uri]),
          el('fileIdentifier', { fileIdentifierLocation: 'sha256' }, [doc.source.sha256]),
          el('documentIdentifier', { documentIdentifierLocation: 'newsprint documentId' }, [doc.documentId]),
        ]),
        ...steps.map((s) => s.element),
      ]),
      tags(page),
      readingOrder(doc, page),
      el('Layout', {}, [
        el(
          'Page',
          {
            ID: xmlId(`page-${page.number}`),
            PHYSICAL_IMG_NR: page.number,
            PRINTED_IMG_NR: page.printedPage,
            WIDTH: page.widthPx,
            HEIGHT: page.heightPx,
            PC: clamp01(page.meanConfidence),
            PROCESSINGREFS: steps.map((s) => s.id).join(' '),
          },
          [printSpace(page)],
        ),
      ]),
    ],
  );
}

interface ProcessingStep {
  readonly id: string;
  readonly element: XmlElement;
}

/** key=value pairs sorted by key: a settings string that reads the same for the same run. */
function settings(parameters: PipelineJson['parameters'], keys: (key: string) => boolean): string {
  return Object.keys(parameters)
    .filter(keys)
    .sort()
    .map((k) => `${k}=${String(parameters[k])}`)
    .join('; ');
}

const PREPROCESS_KEYS = new Set(['preprocess']);
const LAYOUT_KEYS = new Set(['layout']);
const ASSEMBLY_KEYS = new Set(['workers']);

function processingSteps(pipeline: PipelineJson, page: PageJson): ProcessingStep[] {
  const newsprint = software('newsprint', pipeline.version, 'newsprint: scanned Chinese newspaper pages to column-ordered articles');
  const step = (id: string, category: string, description: string, stepSettings: string, sw: XmlElement): ProcessingStep => ({
    id,
    element: el('Processing', { ID: id }, [
      el('processingCategory', {}, [category]),
      el('processingStepDescription', {}, [description]),
      stepSettings ? el('processingStepSettings', {}, [stepSettings]) : undefined,
      sw,
    ]),
  });
  const e = pipeline.engine;
  const recognition =
    page.textSource === 'ocr'
      ? step(
          'processing-recognise',
          'contentGeneration',
          `text recognition, line confidences 0..1 (model ${e.model}, ${e.modelVersion})`,
          settings(pipeline.parameters, (k) => !PREPROCESS_KEYS.has(k) && !LAYOUT_KEYS.has(k) && !ASSEMBLY_KEYS.has(k)),
          software(e.name, e.version, `${e.core}; model ${e.model} (${e.modelVersion})`),
        )
      : step('processing-recognise', 'contentGeneration', "text read from the PDF's own text layer (no OCR)", settings(pipeline.parameters, (k) => k === 'textSource'), newsprint);
  return [
    step(
      'processing-preprocess',
      'preOperation',
      `rasterised and preprocessed; deskewed by ${page.skewDeg} degrees (coordinates refer to the deskewed page, ${page.dpi} dpi)`,
      settings(pipeline.parameters, (k) => PREPROCESS_KEYS.has(k)),
      newsprint,
    ),
    step('processing-layout', 'contentGeneration', `layout analysis: blocks, ${page.columns} columns, roles, reading order`, settings(pipeline.parameters, (k) => LAYOUT_KEYS.has(k)), newsprint),
    recognition,
    step('processing-assemble', 'postOperation', 'article assembly: headlines, bylines, paragraphs, captions, jumps joined across pages', settings(pipeline.parameters, (k) => ASSEMBLY_KEYS.has(k)), newsprint),
  ];
}

function software(name: string, version: string, description: string): XmlElement {
  return el('processingSoftware', {}, [el('softwareName', {}, [name]), el('softwareVersion', {}, [version]), el('applicationDescription', {}, [description])]);
}

function tags(page: PageJson): XmlElement | undefined {
  const types = [...new Set(page.blocks.map((b) => b.type))];
  const roles = [...new Set(page.furniture.map((f) => f.role))];
  if (types.length === 0) return undefined;
  return el('Tags', {}, [
    ...types.map((t) => el('LayoutTag', { ID: blockTagId(t), LABEL: t, DESCRIPTION: BLOCK_TYPE_DESCRIPTIONS[t] })),
    ...roles.map((r) => el('LayoutTag', { ID: furnitureTagId(r), LABEL: `furniture:${r}` })),
  ]);
}

function readingOrder(doc: DocumentJson, page: PageJson): XmlElement | undefined {
  const groups: XmlNode[] = articlesOnPage(doc, page).map(({ article, blocks }) => {
    const id = xmlId(article.id);
    return el(
      'OrderedGroup',
      { ID: id },
      blocks.map((b, i) => el('ElementRef', { ID: `${id}-${i + 1}`, REF: xmlId(b.id) })),
    );
  });
  const furniture = furnitureBlocks(page);
  if (furniture.length > 0) {
    groups.push(el('UnorderedGroup', { ID: 'furniture' }, furniture.map((b, i) => el('ElementRef', { ID: `furniture-${i + 1}`, REF: xmlId(b.id) }))));
  }
  if (groups.length === 0) return undefined;
  return el('ReadingOrder', {}, [el('OrderedGroup', { ID: 'reading-order' }, groups)]);
}

function printSpace(page: PageJson): XmlElement {
  const roleOf = new Map(page.furniture.flatMap((f) => f.blockIds.map((id) => [id, f.role] as const)));
  const area = page.blocks.length > 0 ? unionBox(page.blocks.map((b) => b.bbox)) : ([0, 0, page.widthPx, page.heightPx] as BBox);
  return el('PrintSpace', box(area), page.blocks.map((b) => blockElement(b, roleOf.get(b.id))));
}

function blockElement(block: BlockJson, furnitureRole: FurnitureRole | undefined): XmlElement {
  const id = xmlId(block.id);
  const tagRefs = [blockTagId(block.type), ...(furnitureRole ? [furnitureTagId(furnitureRole)] : [])].join(' ');
  if (block.type === 'photo') return el('Illustration', { ID: id, TAGREFS: tagRefs, ...box(block.bbox), TYPE: 'photo' });
  const lines = block.lines.filter((l) => runsOf(l.text).length > 0);
  return el(
    'TextBlock',
    { ID: id, TAGREFS: tagRefs, ...box(block.bbox), LANG: LANGUAGE },
    lines.map((l, i) => lineElement(l, `${id}-l${i + 1}`)),
  );
}

function lineElement(line: LineJson, id: string): XmlElement {
  const wc = clamp01(line.confidence);
  const children: XmlElement[] = [];
  for (const run of stringBoxes(line)) {
    if (run.space) children.push(el('SP', box(run.bbox)));
    else children.push(el('String', { CONTENT: run.text, ...box(run.bbox), WC: wc }));
  }
  return el('TextLine', { ID: id, ...box(line.bbox) }, children);
}

const runsOf = (text: string): string[] => text.split(/\s+/u).filter((r) => r.length > 0);

interface Run {
  readonly text: string;
  readonly space: boolean;
  readonly bbox: BBox;
}

/**
 * The line's runs and the spaces between them, the line's box shared out by character count along
 * its long side (a line taller than wide is read top to bottom).
 */
export function stringBoxes(line: LineJson): Run[] {
  const runs = runsOf(line.text);
  const pieces = runs.flatMap((text, i) => (i === 0 ? [{ text, space: false }] : [{ text: ' ', space: true }, { text, space: false }]));
  const lengths = pieces.map((p) => [...p.text].length);
  const total = lengths.reduce((s, n) => s + n, 0);
  const [x, y, w, h] = line.bbox;
  const vertical = h > 1.5 * w && total > 1;
  const extent = vertical ? h : w;
  let before = 0;
  return pieces.map((piece, i) => {
    const start = Math.round((before / total) * extent);
    before += lengths[i] ?? 0;
    const size = Math.round((before / total) * extent) - start;
    const bbox: BBox = vertical ? [x, y + start, w, size] : [x + start, y, size, h];
    return { ...piece, bbox };
  });
}

function box(b: BBox): { HPOS: number; VPOS: number; WIDTH: number; HEIGHT: number } {
  return { HPOS: b[0], VPOS: b[1], WIDTH: b[2], HEIGHT: b[3] };
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));
