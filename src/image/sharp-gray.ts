/** The two conversions between GrayImage and sharp, in one place (sharp widens 1-channel raw to sRGB unless told). */
import sharp, { type Sharp } from 'sharp';
import type { GrayImage } from './gray-image.js';

export function sharpFromGray(image: GrayImage): Sharp {
  return sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 1 },
    limitInputPixels: false,
  });
}

export async function grayFromSharp(pipeline: Sharp, dpi: number): Promise<GrayImage> {
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected 1 channel from sharp, got ${info.channels}`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length), dpi };
}
