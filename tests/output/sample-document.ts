/** A realistic hand-built DocumentJson (page 1 of the 2023-12-02 sample, abridged), for output tests. */
import { SCHEMA_VERSION, type DocumentJson } from '../../src/output/types.js';

export function sampleDocument(): DocumentJson {
  return {
    schemaVersion: SCHEMA_VERSION,
    documentId: 'daily-2023-12-02-p1',
    source: {
      uri: 'file:///data/in/daily-2023-12-02-p1.pdf',
      bytes: 1_843_212,
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      etag: '1843212-1701504000000',
    },
    pipeline: {
      name: 'newsprint',
      version: '0.1.0',
      revision: 1,
      fingerprint: 'c0ffee'.padEnd(64, '0'),
      engine: {
        name: 'tesseract.js',
        version: '7.0.0',
        core: 'tesseract.js-core 7.0.0 (lstm, simd)',
        model: 'chi_sim',
        modelVersion: '1.0.0',
      },
      parameters: { dpi: 300, psm: 6, deskew: true, binarise: 'sauvola' },
    },
    pages: [
      {
        number: 1,
        widthPx: 4133,
        heightPx: 5904,
        dpi: 300,
        skewDeg: -0.35,
        textSource: 'ocr',
        meanConfidence: 0.91,
        columns: 6,
        blocks: [
          {
            id: 'p1b1',
            type: 'furniture',
            bbox: [200, 210, 1962, 494],
            lines: [{ text: '大同日报', bbox: [200, 210, 1962, 494], confidence: 0.97 }],
          },
          {
            id: 'p1b2',
            type: 'section',
            bbox: [203, 892, 414, 48],
            lines: [{ text: '新时代 新征程 新伟业', bbox: [203, 892, 414, 48], confidence: 0.88 }],
          },
          {
            id: 'p1b3',
            type: 'headline',
            bbox: [408, 1002, 1400, 106],
            lines: [
              { text: '新荣区“三化三实”打造社区治理“红色引擎”', bbox: [408, 1002, 1400, 106], confidence: 0.95 },
            ],
          },
          {
            id: 'p1b4',
            type: 'body',
            bbox: [177, 1262, 585, 2091],
            lines: [
              { text: '本报讯 近年来，新荣区坚持党建引领，', bbox: [177, 1262, 585, 60], confidence: 0.9 },
              { text: '围绕优化组织体系、强化队伍建设、', bbox: [177, 1326, 585, 60], confidence: 0.89 },
            ],
          },
          { id: 'p1b5', type: 'photo', bbox: [2094, 879, 1863, 1090], lines: [] },
          {
            id: 'p1b6',
            type: 'caption',
            bbox: [2094, 1989, 1617, 41],
            lines: [
              {
                text: '武汉东湖景象(12月1日摄,无人机照片)。 新华社记者 程敏摄',
                bbox: [2094, 1989, 1617, 41],
                confidence: 0.86,
              },
            ],
          },
        ],
        furniture: [
          { role: 'newspaper', text: '大同日报', bbox: [200, 210, 1962, 494], blockIds: ['p1b1'] },
          { role: 'date', text: '2023年12月2日 星期六', bbox: [2929, 250, 604, 63], blockIds: [] },
        ],
      },
    ],
    articles: [
      {
        id: 'p1a1',
        page: 1,
        pageIndex: 1,
        pages: [1],
        kind: 'article',
        order: 1,
        section: '新时代 新征程 新伟业',
        headline: '新荣区“三化三实”打造社区治理“红色引擎”',
        authors: [],
        paragraphs: ['本报讯 近年来，新荣区坚持党建引领，围绕优化组织体系、强化队伍建设、深化服务保障。'],
        captions: [],
        continuedOn: 2,
        bbox: [177, 892, 1631, 2461],
        blockIds: ['p1b2', 'p1b3', 'p1b4'],
        confidence: 0.9,
      },
      {
        id: 'p1a2',
        page: 1,
        pageIndex: 1,
        pages: [1],
        kind: 'photo',
        order: 2,
        byline: '新华社记者 程敏摄',
        authors: ['程敏'],
        paragraphs: [],
        captions: ['武汉东湖景象(12月1日摄,无人机照片)。'],
        bbox: [2094, 879, 1863, 1151],
        blockIds: ['p1b5', 'p1b6'],
        confidence: 0.86,
      },
    ],
  };
}
