/** The DecompressionStream pdf.js is given: same output and same failures as Node's own. */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { installPdfJsGlobals } from '../../src/stages/rasterise/pdfjs-globals.js';

type Format = ConstructorParameters<typeof DecompressionStream>[0];

installPdfJsGlobals();

async function decompress(format: string, bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new DecompressionStream(format as Format);
  const writer = stream.writable.getWriter();
  void writer.write(bytes).then(() => writer.close()).catch(() => undefined);
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream.readable as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

const text = Buffer.from('新闻报道 '.repeat(500));

describe('the DecompressionStream pdf.js gets', () => {
  it('is installed in place of Node\'s', () => {
    expect(DecompressionStream.name).toBe('WholeBufferDecompressionStream');
  });

  it.each([
    ['deflate', zlib.deflateSync(text)],
    ['deflate-raw', zlib.deflateRawSync(text)],
    ['gzip', zlib.gzipSync(text)],
  ] as const)('inflates %s', async (format, packed) => {
    expect(Buffer.from(await decompress(format, new Uint8Array(packed))).equals(text)).toBe(true);
  });

  it('errors the stream on corrupt or truncated input, so pdf.js falls back to its own decoder', async () => {
    const packed = zlib.deflateSync(text);
    await expect(decompress('deflate', new Uint8Array(packed.subarray(0, packed.length >> 1)))).rejects.toThrow();
    await expect(decompress('deflate', new Uint8Array([1, 2, 3, 4, 5]))).rejects.toThrow();
  });

  it('joins input written in several chunks, and reads through getReader() as well', async () => {
    const packed = zlib.deflateSync(text);
    const stream = new DecompressionStream('deflate');
    const writer = stream.writable.getWriter();
    await writer.write(new Uint8Array(packed.subarray(0, 10)));
    await writer.write(new Uint8Array(packed.subarray(10)));
    await writer.close();
    const reader = stream.readable.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value ?? new Uint8Array()).equals(text)).toBe(true);
    expect((await reader.read()).done).toBe(true);
  });

  it('refuses a format Node does not support with TypeError, as Node does', () => {
    expect(() => new DecompressionStream('brotli' as Format)).toThrow(TypeError);
  });
});
