/** Unusable inputs made on the fly, each with the reason a run must report for it. */
import { deflateSync } from 'node:zlib';

export interface BadInput {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** A fragment the error reason must contain (case-insensitive). */
  readonly reason: RegExp;
}

/** A PDF of the given objects (numbered from 1, object 1 the catalog), with a classic xref table. */
function tinyPdf(objects: readonly string[], trailerExtra = ''): Uint8Array {
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** A one-page PDF whose /Encrypt dictionary demands a user password (the /U entry matches no empty password). */
export function encryptedPdf(): Uint8Array {
  return tinyPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
      `<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -4 >>`,
    ],
    ` /Encrypt 4 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]`,
  );
}

/** A PDF whose page tree is empty (/Count 0). */
export function zeroPagePdf(): Uint8Array {
  return tinyPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A tiny PNG whose header claims `width` x `height` 8-bit gray pixels (10 Gpx by default): it
 * must be refused from its header, before any pixel is decoded.
 */
export function hugePng(width = 100_000, height = 100_000): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // gray
  const idat = deflateSync(Buffer.alloc(64)); // far too little data: only the header is ever read
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Uint8Array.from(Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]));
}

/** A little-endian TIFF header with one IFD claiming `width` x `height` 8-bit gray pixels and no data. */
export function hugeTiff(width = 100_000, height = 100_000): Uint8Array {
  const entries: Array<[tag: number, type: 3 | 4, value: number]> = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 8],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 8],
    [277, 3, 1],
    [278, 4, height],
    [279, 4, 0xffffffff],
  ];
  const ifd = 8;
  const b = Buffer.alloc(ifd + 2 + entries.length * 12 + 4);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(ifd, 4);
  b.writeUInt16LE(entries.length, ifd);
  entries.forEach(([tag, type, value], i) => {
    const o = ifd + 2 + i * 12;
    b.writeUInt16LE(tag, o);
    b.writeUInt16LE(type, o + 2);
    b.writeUInt32LE(1, o + 4);
    if (type === 3) b.writeUInt16LE(value, o + 8);
    else b.writeUInt32LE(value >>> 0, o + 8);
  });
  return Uint8Array.from(b);
}

export function badInputs(goodPdf: Uint8Array): BadInput[] {
  const garbage = new Uint8Array(4096);
  let seed = 7;
  for (let i = 0; i < garbage.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    garbage[i] = seed & 0xff;
  }
  const corrupt = new Uint8Array(garbage.length + 9);
  corrupt.set(new TextEncoder().encode('%PDF-1.7\n'));
  corrupt.set(garbage, 9);
  return [
    { name: 'corrupt.pdf', bytes: corrupt, reason: /corrupt|invalid|pdf/i },
    { name: 'truncated.pdf', bytes: goodPdf.subarray(0, Math.floor(goodPdf.length * 0.4)), reason: /truncated|corrupt|invalid|pdf/i },
    { name: 'encrypted.pdf', bytes: encryptedPdf(), reason: /encrypt|password/i },
    { name: 'empty.pdf', bytes: new Uint8Array(0), reason: /empty|0 bytes/i },
    { name: 'notes.txt', bytes: new TextEncoder().encode('not a scan, just notes\n'), reason: /not a PDF|supported image/i },
    { name: 'report.docx', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0, 0, 0, 0]), reason: /not a PDF|supported image/i },
    { name: 'zero-pages.pdf', bytes: zeroPagePdf(), reason: /no pages/i },
    { name: 'huge.png', bytes: hugePng(), reason: /100000x100000 px .*over the limit/i },
    { name: 'huge.tif', bytes: hugeTiff(), reason: /100000x100000 px .*over the limit/i },
  ];
}
