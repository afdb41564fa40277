/** The inspection picture: the page with article boxes, reading-order numbers and block roles. */
import sharp from 'sharp';
import type { GrayImage } from '../image/gray-image.js';
import { sharpFromGray } from '../image/sharp-gray.js';
import type { ArticleJson, BlockType, PageJson } from './types.js';

export const ROLE_COLOURS: Readonly<Record<BlockType, string>> = {
  headline: '#d000d0',
  subheadline: '#d000d0',
  section: '#ff8c00',
  author: '#00b8d4',
  byline: '#00b8d4',
  body: '#1e50ff',
  caption: '#00a000',
  photo: '#006400',
  jump: '#e00000',
  furniture: '#808080',
};

export async function renderInspection(image: GrayImage, page: PageJson, articles: readonly ArticleJson[], width: number): Promise<Buffer> {
  const scale = Math.min(1, width / image.width);
  const stroke = Math.max(2, Math.round(3 / scale));
  const shapes: string[] = [];
  const rect = ([x, y, w, h]: readonly number[], colour: string, thickness: number, fill = 'none'): void => {
    shapes.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" stroke="${colour}" stroke-width="${thickness}"/>`);
  };
  for (const block of page.blocks) rect(block.bbox, ROLE_COLOURS[block.type], stroke, block.type === 'furniture' ? 'rgba(128,128,128,0.15)' : 'none');
  const label = Math.round(28 / scale);
  for (const article of articles) {
    rect(article.bbox, '#e00000', stroke * 2);
    const [x, y] = article.bbox;
    shapes.push(`<rect x="${x}" y="${y}" width="${label * 1.6}" height="${label * 1.2}" fill="#e00000"/>`);
    shapes.push(`<text x="${x + label * 0.2}" y="${y + label}" font-family="sans-serif" font-weight="bold" font-size="${label}" fill="white">${article.order}</text>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${image.width}" height="${image.height}">${shapes.join('')}</svg>`;
  const overlay = await sharp(Buffer.from(svg)).resize(image.width, image.height, { fit: 'fill' }).png().toBuffer();
  const full = await sharpFromGray(image).toColourspace('srgb').composite([{ input: overlay, top: 0, left: 0 }]).png().toBuffer();
  return sharp(full).resize(Math.round(image.width * scale)).png().toBuffer();
}
