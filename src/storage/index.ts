export type {
  ByteRange,
  ListOptions,
  ListPage,
  ObjectInfo,
  PutOptions,
  RangeOptions,
  RangeRead,
  RejectedKey,
  Storage,
} from './types.js';
export { assertSafeKey, assertSafePrefix, compareKeys, joinKey, unsafeKeyReason } from './keys.js';
export { createFsStorage, type FsStorageOptions } from './fs.js';
export { createS3Storage, type S3StorageOptions } from './s3.js';
export {
  openStorage,
  parseLocation,
  type Location,
  type OpenStorageOptions,
} from './location.js';
