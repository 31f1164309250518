import { parentPort } from 'node:worker_threads';
import { CsvShapeScanner } from './csv-shape.js';

/**
 * The CSV shape scanner on its own thread (see ShapeOnThread in inspect-file.ts): it is fed the file's
 * chunks in order, answers each with 'ack' (the sender's flow control), and 'finish' with the shape.
 */
const scanner = new CsvShapeScanner();
parentPort!.on('message', (message: Uint8Array | 'finish') => {
  if (message === 'finish') parentPort!.postMessage({ shape: scanner.finish() });
  else {
    scanner.push(message);
    parentPort!.postMessage('ack');
  }
});
