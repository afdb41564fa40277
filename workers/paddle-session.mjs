// Thin entry of one PP-OCR session thread; the logic is src/ocr/paddle/session-host.ts (dist/… when
// built). Run from the TypeScript sources (the tests), the host is a .ts file: tsx, a dev dependency,
// compiles it.
import { workerData } from 'node:worker_threads';

if (workerData.host.endsWith('.ts')) (await import('tsx/esm/api')).register();
const { hostSession } = await import(workerData.host);
await hostSession();
