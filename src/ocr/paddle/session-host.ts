/**
 * One PP-OCR session in its own worker thread (onnxruntime-node runs a session on the calling
 * thread: in the main thread two sessions would take turns and hold up the page preparation). It
 * loads the model, then reads batches: writes the lines into its input buffer (grown to the largest
 * batch, which the pool bounds), runs the model and decodes each line's CTC output, and answers
 * with text and confidence only (the probabilities are megabytes a batch).
 */
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { errorMessage } from '../../errors.js';
import { ctcClasses, decodeCtc } from './ctc.js';
import { MODEL_HEIGHT, writeLine } from './line-images.js';
import { readCharacterList } from './models.js';
import type { BatchRequest, HostMessage, LineReading, SessionWorkerData } from './session-protocol.js';

export async function hostSession(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('session-host runs in a worker thread');
  const post = (message: HostMessage): void => port.postMessage(message);
  const { modelPath, threads } = workerData as SessionWorkerData;
  let session: ort.InferenceSession;
  let classes: readonly string[];
  try {
    classes = ctcClasses(readCharacterList());
    session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  } catch (err) {
    post({ loadError: errorMessage(err) });
    return;
  }
  let buffer = new Float32Array(0);
  const read = async (request: BatchRequest): Promise<LineReading[]> => {
    const width = Math.max(...request.lines.map((l) => l.width));
    const size = request.lines.length * 3 * MODEL_HEIGHT * width;
    if (buffer.length < size) buffer = new Float32Array(size);
    const data = buffer.subarray(0, size);
    request.lines.forEach((line, i) => writeLine(data, i, width, request.image, line.rect, line.width));
    const output = await session.run({ [session.inputNames[0] ?? 'x']: new ort.Tensor('float32', data, [request.lines.length, 3, MODEL_HEIGHT, width]) });
    const probabilities = output[session.outputNames[0] ?? ''];
    if (!probabilities || probabilities.dims.length !== 3) throw new Error('PP-OCR returned no probabilities');
    const [, steps = 0, classCount = 0] = probabilities.dims;
    if (classCount !== classes.length) throw new Error(`the PP-OCR model has ${classCount} classes, its character list ${classes.length}`);
    const values = probabilities.data as Float32Array;
    const stride = width / Math.max(1, steps);
    return request.lines.map((line, i) => {
      // Only the steps of the line's own image: the rest of the row is padding.
      const decoded = decodeCtc(values, classes, Math.min(steps, Math.ceil(line.width / stride)), i * steps * classCount);
      return { text: decoded.text.trim(), confidence: decoded.confidence };
    });
  };
  port.on('message', (request: BatchRequest) => {
    read(request).then(
      (lines) => post({ id: request.id, lines }),
      (err: unknown) => post({ id: request.id, error: errorMessage(err) }),
    );
  });
  post({ ready: true });
}
