/**
 * A tiny PDF writer for test fixtures: pages with image XObjects, fonts and a content stream,
 * a classic xref table, nothing compressed unless the caller compresses it.
 */
import { deflateSync } from 'node:zlib';

export interface PdfImage {
  readonly width: number;
  readonly height: number;
  readonly bitsPerComponent?: number;
  readonly colorSpace?: 'DeviceGray' | 'DeviceRGB';
  /** e.g. 'DCTDecode', 'FlateDecode', 'JPXDecode', 'CCITTFaxDecode'; none for raw samples. */
  readonly filter?: string;
  /** Extra dictionary entries, written as is (e.g. '/DecodeParms << /K -1 /Columns 8 >>'). */
  readonly extra?: string;
  readonly imageMask?: boolean;
  readonly data: Uint8Array;
}

export interface PdfForm {
  readonly content: string;
  /** Six numbers, written as is. */
  readonly matrix?: string;
  readonly group?: boolean;
}

export interface PdfPage {
  /** Page size in points. */
  readonly width: number;
  readonly height: number;
  readonly rotate?: number;
  /** The content stream, PDF operators as text. */
  readonly content: string;
  readonly images?: Readonly<Record<string, PdfImage>>;
  /** Form XObjects by name: their content stream and optional /Matrix and /Group. */
  readonly forms?: Readonly<Record<string, PdfForm>>;
  /** Font resources by name: a dictionary body written as is, or one of the helpers below. */
  readonly fonts?: Readonly<Record<string, string>>;
}

/** The standard Helvetica (no embedding needed). */
export const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';

/**
 * A non-embedded Chinese font (Adobe-GB1, UCS-2 codes): the text is written as UTF-16BE hex with
 * {@link ucs2Hex}, and a reader maps it to Unicode through the predefined CMaps.
 */
export const STSONG_UCS2 =
  '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [' +
  '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light ' +
  '/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> ' +
  '/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] ' +
  '/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> /DW 1000 >> ] >>';

/** `text` as a hex string of UTF-16BE code units, for {@link STSONG_UCS2}. */
export function ucs2Hex(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${hex}>`;
}

/** Codes 1.. of a `type3:` font as a hex string: `indexes` are 1-based positions in its chars. */
export function type3Hex(indexes: readonly number[]): string {
  return `<${indexes.map((i) => i.toString(16).padStart(2, '0')).join('')}>`;
}

/** A ToUnicode CMap mapping 2-byte codes 0001, 0002, ... to the code points of `chars`. */
export function toUnicodeCMap(chars: readonly string[]): string {
  const lines = chars.map((ch, i) => {
    const code = (i + 1).toString(16).padStart(4, '0');
    let utf16 = '';
    for (let j = 0; j < ch.length; j++) utf16 += ch.charCodeAt(j).toString(16).padStart(4, '0');
    return `<${code}> <${utf16}>`;
  });
  return [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Test-UCS def /CMapType 2 def',
    '1 begincodespacerange <0000> <FFFF> endcodespacerange',
    `${lines.length} beginbfchar`,
    ...lines,
    'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
}

export interface PdfOptions {
  /** Bytes written before `%PDF-` (some scanners do this). */
  readonly junkPrefix?: string;
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/**
 * Builds a PDF. A font value starting with `<<` is a font dictionary; the special value
 * `identity-h:<chars>` (chars joined by '|') makes a non-embedded Identity-H font whose ToUnicode
 * maps codes 0001.. to those chars, for testing what readers do with odd ToUnicode entries;
 * `type3:<chars>` (or `type3-ref:<chars>`, glyph dictionary as an object of its own) makes a Type 3
 * font whose one-byte codes 01.. draw a filled square each and map to those chars (see {@link type3Hex}).
 */
export function makePdf(pages: readonly PdfPage[], options: PdfOptions = {}): Uint8Array {
  const objects: Uint8Array[] = []; // index i holds object i+1
  const reserve = (): number => {
    objects.push(new Uint8Array());
    return objects.length;
  };
  const setObject = (num: number, body: string | Uint8Array): void => {
    objects[num - 1] = typeof body === 'string' ? latin1(body) : body;
  };
  const stream = (dict: string, data: Uint8Array): Uint8Array => {
    const head = latin1(`<< ${dict} /Length ${data.length} >>\nstream\n`);
    const tail = latin1('\nendstream');
    const out = new Uint8Array(head.length + data.length + tail.length);
    out.set(head, 0);
    out.set(data, head.length);
    out.set(tail, head.length + data.length);
    return out;
  };

  const catalog = reserve();
  const pagesObj = reserve();
  const pageNums: number[] = [];
  for (const page of pages) {
    const xobjects: string[] = [];
    for (const [name, img] of Object.entries(page.images ?? {})) {
      const num = reserve();
      const parts = [`/Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height}`];
      if (img.imageMask) parts.push('/ImageMask true /BitsPerComponent 1');
      else parts.push(`/ColorSpace /${img.colorSpace ?? 'DeviceGray'} /BitsPerComponent ${img.bitsPerComponent ?? 8}`);
      if (img.filter) parts.push(`/Filter /${img.filter}`);
      if (img.extra) parts.push(img.extra);
      setObject(num, stream(parts.join(' '), img.data));
      xobjects.push(`/${name} ${num} 0 R`);
    }
    for (const [name, form] of Object.entries(page.forms ?? {})) {
      const num = reserve();
      const extra = `${form.matrix ? ` /Matrix [${form.matrix}]` : ''}${form.group ? ' /Group << /S /Transparency >>' : ''}`;
      setObject(num, stream(`/Type /XObject /Subtype /Form /BBox [0 0 ${page.width} ${page.height}]${extra}`, latin1(form.content)));
      xobjects.push(`/${name} ${num} 0 R`);
    }
    const fonts: string[] = [];
    for (const [name, font] of Object.entries(page.fonts ?? {})) {
      const num = reserve();
      if (font.startsWith('type3:') || font.startsWith('type3-ref:')) {
        const chars = font.slice(font.indexOf(':') + 1).split('|');
        const glyphs = chars.map(() => {
          const glyph = reserve();
          setObject(glyph, stream('', latin1('1000 0 0 0 1000 1000 d1 50 50 900 900 re f')));
          return glyph;
        });
        const charProcs = `<< ${glyphs.map((g, i) => `/g${i + 1} ${g} 0 R`).join(' ')} >>`;
        let charProcsValue = charProcs;
        if (font.startsWith('type3-ref:')) {
          const dict = reserve();
          setObject(dict, charProcs);
          charProcsValue = `${dict} 0 R`;
        }
        const cmap = reserve();
        const bfchars = chars.map((ch, i) => `<${(i + 1).toString(16).padStart(2, '0')}> <${ch.charCodeAt(0).toString(16).padStart(4, '0')}>`);
        setObject(
          cmap,
          stream(
            '',
            latin1(
              [
                '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
                '/CMapName /Test-T3 def /CMapType 2 def',
                '1 begincodespacerange <00> <FF> endcodespacerange',
                `${bfchars.length} beginbfchar`,
                ...bfchars,
                'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
              ].join('\n'),
            ),
          ),
        );
        setObject(
          num,
          `<< /Type /Font /Subtype /Type3 /FontMatrix [0.001 0 0 0.001 0 0] /FontBBox [0 0 1000 1000] ` +
            `/FirstChar 1 /LastChar ${chars.length} /Widths [${chars.map(() => '1000').join(' ')}] ` +
            `/Encoding << /Type /Encoding /Differences [1 ${chars.map((_, i) => `/g${i + 1}`).join(' ')}] >> ` +
            `/CharProcs ${charProcsValue} /Resources << >> /ToUnicode ${cmap} 0 R >>`,
        );
      } else if (font.startsWith('identity-h:')) {
        const chars = font.slice('identity-h:'.length).split('|');
        const cmap = reserve();
        setObject(cmap, stream('', latin1(toUnicodeCMap(chars))));
        setObject(
          num,
          '<< /Type /Font /Subtype /Type0 /BaseFont /TestCJK /Encoding /Identity-H /DescendantFonts [' +
            '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestCJK ' +
            '/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> ' +
            '/FontDescriptor << /Type /FontDescriptor /FontName /TestCJK /Flags 4 /FontBBox [0 -120 1000 880] ' +
            `/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >> /DW 1000 >> ] /ToUnicode ${cmap} 0 R >>`,
        );
      } else {
        setObject(num, font);
      }
      fonts.push(`/${name} ${num} 0 R`);
    }
    const contentNum = reserve();
    setObject(contentNum, stream('', latin1(page.content)));
    const pageNum = reserve();
    const resources = `<< /XObject << ${xobjects.join(' ')} >> /Font << ${fonts.join(' ')} >> >>`;
    setObject(
      pageNum,
      `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${page.width} ${page.height}] ` +
        `${page.rotate ? `/Rotate ${page.rotate} ` : ''}/Resources ${resources} /Contents ${contentNum} 0 R >>`,
    );
    pageNums.push(pageNum);
  }
  setObject(catalog, `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`);
  setObject(pagesObj, `<< /Type /Pages /Kids [${pageNums.map((n) => `${n} 0 R`).join(' ')}] /Count ${pageNums.length} >>`);

  const chunks: Uint8Array[] = [latin1(`${options.junkPrefix ?? ''}%PDF-1.7\n%\xe2\xe3\xcf\xd3\n`)];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const obj = [latin1(`${i + 1} 0 obj\n`), body, latin1('\nendobj\n')];
    for (const part of obj) {
      chunks.push(part);
      offset += part.length;
    }
  });
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n'];
  for (const o of offsets) xref.push(`${String(o).padStart(10, '0')} 00000 n \n`);
  xref.push(`trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${offset}\n%%EOF\n`);
  chunks.push(latin1(xref.join('')));
  return Uint8Array.from(Buffer.concat(chunks));
}

/** Flate-compresses `data` for a `/Filter /FlateDecode` image. */
export function flate(data: Uint8Array): Uint8Array {
  return Uint8Array.from(deflateSync(data));
}

/** Packs one byte per pixel (0 = black) into 1-bit rows, 1 = white, rows padded to bytes. */
export function packBits(gray: Uint8Array, width: number, height: number): Uint8Array {
  const rowBytes = (width + 7) >> 3;
  const out = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((gray[y * width + x] ?? 0) >= 128) out[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/** A gray test page: white with black bars whose layout is not symmetric (rotation shows). */
export function testPattern(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height).fill(255);
  const bar = (x0: number, y0: number, x1: number, y1: number, v = 0): void => {
    for (let y = Math.floor(y0 * height); y < Math.floor(y1 * height); y++) {
      for (let x = Math.floor(x0 * width); x < Math.floor(x1 * width); x++) data[y * width + x] = v;
    }
  };
  bar(0.05, 0.05, 0.6, 0.12); // headline, top left
  for (let i = 0; i < 8; i++) bar(0.05, 0.2 + i * 0.05, 0.45, 0.22 + i * 0.05, 40); // a column of lines
  bar(0.55, 0.2, 0.95, 0.5, 128); // a photo, right
  bar(0.8, 0.9, 0.95, 0.95); // a folio, bottom right
  return data;
}
