import { imageCallers, imageModel, type ImageTransport } from './image-bench.js';
import { number, runsOf } from './report-format.js';
import { median } from './statistics.js';

/** Images per second raw in-process and through the server each way, and the photo's size on the wire. */
export interface ImageResults {
  photoBytes: number;
  requestBytes: Record<ImageTransport, number>;
  raw: number[];
  server: Record<ImageTransport, number[]>;
}

/** The summary table's row: what an upload gains over base64, against the raw ceiling. */
export function imageSummaryRow(images: ImageResults): string {
  const raw = median(images.raw);
  const upload = median(images.server.upload);
  const base64 = median(images.server.base64);
  return `| image classification of a photo, uploaded as bytes vs base64 in JSON (images/s; raw in-process ${number(raw, 1)}) | ${number(upload, 1)} vs ${number(base64, 1)} (${number(upload / raw, 2)}x and ${number(base64 / raw, 2)}x raw) | (reported) |`;
}

/** Section 10 of BENCHMARKS.md. */
export function imageSection(images: ImageResults): string[] {
  const raw = median(images.raw);
  const row = (name: string, transport: ImageTransport) => {
    const rate = median(images.server[transport]);
    return `| ${name} | ${number(images.requestBytes[transport])} | ${number(rate, 1)} ${runsOf(images.server[transport])} | ${number(rate / raw, 2)}x |`;
  };
  return [
    '## 10. Image classification: uploads and base64',
    '',
    `Model: \`${imageModel.source}\` (q8, 224 x 224 input). Image: a ${number(images.photoBytes)}-byte JPEG of`,
    '1,600 x 1,200 pixels (the size of a phone picture scaled for the web), decoded and resized for every call.',
    'Raw: decode (sharp, through transformers.js RawImage) and the transformers.js pipeline in-process, one',
    `image at a time. Server: ${imageCallers} callers at once, each call encoding the image as a client would:`,
    '`predictImage` sends the bytes as a form upload, `predict` sends base64 inside JSON (a third larger, parsed',
    'as one string, decoded again on the server).',
    '',
    '| | request body, bytes | images/s | vs raw |',
    '|---|---|---|---|',
    `| raw in-process | | ${number(raw, 1)} ${runsOf(images.raw)} | 1.00x |`,
    row('mlrpc, `predictImage` (multipart upload)', 'upload'),
    row('mlrpc, `predict` with `{ base64 }`', 'base64'),
    '',
  ];
}
