/**
 * Input format detection by magic bytes. The file name is never trusted: scanners and archives
 * hand out `.pdf` files that are TIFFs and `.tif` files that are PDFs.
 */
import { InputError } from '../../errors.js';

export type InputKind = 'pdf' | 'tiff' | 'jpeg' | 'png';

/** How far into the file `%PDF-` may start (PDF 1.7 § 7.5.2 readers accept junk before it). */
export const PDF_HEADER_WINDOW = 1024;

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

/** Offset of `%PDF-` within the first {@link PDF_HEADER_WINDOW} bytes, or -1. */
export function findPdfHeader(bytes: Uint8Array): number {
  const end = Math.min(bytes.length - PDF_MAGIC.length, PDF_HEADER_WINDOW);
  for (let i = 0; i <= end; i++) {
    if (bytes[i] === 0x25 && startsWith(bytes, PDF_MAGIC, i)) return i;
  }
  return -1;
}

function isTiff(bytes: Uint8Array): boolean {
  // Classic TIFF (42) and BigTIFF (43), both byte orders.
  return (
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])
  );
}

/** The format of `bytes`, or an InputError for an empty or unsupported file. */
export function sniffFormat(bytes: Uint8Array): InputKind {
  if (bytes.length === 0) throw new InputError('empty file (0 bytes)', { stage: 'rasterise' });
  // Image magics are checked at offset 0 first: a TIFF may well contain "%PDF-" in its first KB.
  if (isTiff(bytes)) return 'tiff';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, PNG_MAGIC)) return 'png';
  if (findPdfHeader(bytes) >= 0) return 'pdf';
  throw new InputError('not a PDF or a supported image (TIFF, JPEG, PNG)', { stage: 'rasterise' });
}
