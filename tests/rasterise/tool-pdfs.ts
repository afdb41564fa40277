/**
 * PDFs as other tools write them, made at test time in a temporary folder: pdf-lib (from npm), and
 * Ghostscript's pdfwrite, img2pdf and qpdf (Debian packages; .ci/run installs them). A missing tool
 * fails the test that needs it: nothing is skipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Runs `tool` in a fresh temporary folder holding `inputs`; gives back the file it wrote as `output`. */
function runTool(tool: string, args: (dir: string) => string[], inputs: Record<string, Uint8Array>, output: string): Uint8Array {
  const dir = mkdtempSync(path.join(tmpdir(), 'newsprint-pdf-'));
  try {
    for (const [name, bytes] of Object.entries(inputs)) writeFileSync(path.join(dir, name), bytes);
    execFileSync(tool, args(dir), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    return Uint8Array.from(readFileSync(path.join(dir, output)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A one-page PDF of `jpeg` by Ghostscript's pdfwrite (its viewjpeg.ps; pdfwrite passes JPEGs through). */
export function ghostscriptJpegPage(jpeg: Uint8Array): Uint8Array {
  const lib = execFileSync('gs', ['-q', '-dNODISPLAY', '-dSAFER', '-c', '(viewjpeg.ps) findlibfile { pop = } { pop (none) = } ifelse quit'])
    .toString()
    .trim();
  return runTool(
    'gs',
    (dir) => [
      '-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pdfwrite', '-o', 'out.pdf',
      `--permit-file-read=${path.join(dir, 'in.jpg')}`, lib,
      '-c', `(${path.join(dir, 'in.jpg')}) << /PageSize 2 index viewJPEGgetsize 2 array astore >> setpagedevice viewJPEG`,
    ],
    { 'in.jpg': jpeg },
    'out.pdf',
  );
}

/** A PostScript program through `ps2pdf` (Ghostscript's pdfwrite). */
export function ps2pdf(program: string): Uint8Array {
  return runTool('ps2pdf', () => ['in.ps', 'out.pdf'], { 'in.ps': Uint8Array.from(Buffer.from(program, 'latin1')) }, 'out.pdf');
}

/** A one-page PDF of `jpeg` by img2pdf (the JPEG embedded as is), at the JPEG's own resolution. */
export function img2pdf(jpeg: Uint8Array): Uint8Array {
  return runTool('img2pdf', () => ['in.jpg', '-o', 'out.pdf'], { 'in.jpg': jpeg }, 'out.pdf');
}

/** `pdf` rewritten by qpdf with `args` (e.g. --object-streams=generate). */
export function qpdf(pdf: Uint8Array, ...args: string[]): Uint8Array {
  return runTool('qpdf', () => [...args, 'in.pdf', 'out.pdf'], { 'in.pdf': pdf }, 'out.pdf');
}

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

/**
 * `pdf` with an incremental update appended, as an editor saves one: the objects given (new
 * numbers or new versions of old ones), a classic xref section for them, and a trailer whose /Prev
 * is the previous section. `pdf` must end with a classic trailer (makePdf's do).
 */
export function appendUpdate(pdf: Uint8Array, objects: Readonly<Record<number, string>>): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)?.[1]);
  if (!Number.isFinite(prev) || !root || !Number.isFinite(size)) throw new Error('appendUpdate: no classic trailer');
  const parts: Buffer[] = [Buffer.from(pdf)];
  let offset = pdf.length;
  const rows: string[] = [];
  for (const [num, body] of Object.entries(objects)) {
    const chunk = latin1(`${num} 0 obj\n${body}\nendobj\n`);
    rows.push(`${num} 1\n${String(offset).padStart(10, '0')} 00000 n \n`);
    parts.push(chunk);
    offset += chunk.length;
  }
  const newSize = Math.max(size, ...Object.keys(objects).map((n) => Number(n) + 1));
  parts.push(latin1(`xref\n${rows.join('')}trailer\n<< /Size ${newSize} /Root ${root} /Prev ${prev} >>\nstartxref\n${offset}\n%%EOF\n`));
  return Uint8Array.from(Buffer.concat(parts));
}

/**
 * `pdf` with `count` bytes of white space inserted after its header line, so that every offset in
 * its xref is wrong; with `keepStartxref`, startxref is moved to still find the xref table (whose
 * entries are then all stale), else it points into nothing useful.
 */
export function shiftObjects(pdf: Uint8Array, count: number, keepStartxref: boolean): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const afterHeader = text.indexOf('\n') + 1;
  let shifted = text.slice(0, afterHeader) + ' '.repeat(count) + text.slice(afterHeader);
  if (keepStartxref) shifted = shifted.replace(/startxref\s+(\d+)(\s+%%EOF\s*)$/, (_, n: string, tail: string) => `startxref\n${Number(n) + count}${tail}`);
  return Uint8Array.from(Buffer.from(shifted, 'latin1'));
}
