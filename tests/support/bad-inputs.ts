/** Unusable inputs made on the fly, each with the reason a run must report for it. */
export interface BadInput {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** A fragment the error reason must contain (case-insensitive). */
  readonly reason: RegExp;
}

/** A one-page PDF whose /Encrypt dictionary demands a user password (the /U entry matches no empty password). */
export function encryptedPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -4 >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
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
  ];
}
