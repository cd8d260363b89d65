import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError } from './support/expect-api-error.js';
import { readSpamTestSet } from './support/heldout-data.js';
import { narrowPrediction } from './support/narrow-prediction.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
});
afterAll(() => harness.close());

describe('text classification (predict with texts)', () => {
  it('scores the held-out SpamAssassin set as the model card says (97.96%), through the API', async () => {
    const messages = await readSpamTestSet();
    // Callers at once, 128 texts each: the server batches and sorts them by length.
    const chunks = Array.from({ length: Math.ceil(messages.length / 128) }, (_, index) =>
      messages.slice(index * 128, (index + 1) * 128),
    );
    const outputs = await Promise.all(
      chunks.map((chunk) =>
        harness.client.predict.mutate({ texts: chunk.map((message) => message.text), topK: 1 }),
      ),
    );
    const predicted = outputs.flatMap(
      (output) => narrowPrediction(output, 'text-classification').predictions,
    );
    expect(predicted).toHaveLength(messages.length);
    const correct = predicted.filter(
      (labels, index) => labels[0]?.label === messages[index]?.label,
    ).length;
    const accuracy = correct / messages.length;
    expect(Math.abs(accuracy - 0.9796)).toBeLessThanOrEqual(0.01);
    expect(outputs[0]).toMatchObject({ kind: 'text-classification', model: 'spam', version: '1' });
  });

  it('gives each text its labels best first, confidences summing to one', async () => {
    const output = narrowPrediction(
      await harness.client.predict.mutate({
        model: 'spam',
        texts: ['Subject: meeting\n\nSee you at noon.', 'Subject: FREE $$$\n\nClick now to win'],
      }),
      'text-classification',
    );
    for (const labels of output.predictions) {
      expect(labels.map((label) => label.label).sort()).toEqual(['ham', 'spam']);
      expect(labels[0]!.confidence).toBeGreaterThanOrEqual(labels[1]!.confidence);
      expect(labels[0]!.confidence + labels[1]!.confidence).toBeCloseTo(1, 5);
    }
  });

  it('labels thousands of texts as a job, in parts with progress', async () => {
    const messages = (await readSpamTestSet()).slice(0, 600);
    const job = await harness.client.jobs.submit.mutate({
      kind: 'predict',
      input: { texts: messages.map((message) => message.text), topK: 1 },
    });
    const progress: number[] = [];
    const done = await harness.client.waitForJob(job.id, { onProgress: (p) => progress.push(p) });
    expect(done.status).toBe('completed');
    expect(progress.some((value) => value > 0 && value < 1)).toBe(true);
    const result = narrowPrediction(done.result as never, 'text-classification');
    expect(result.predictions).toHaveLength(600);
    const live = narrowPrediction(
      await harness.client.predict.mutate({ texts: [messages[599]?.text ?? ''], topK: 1 }),
      'text-classification',
    );
    expect(result.predictions[599]?.[0]?.label).toBe(live.predictions[0]?.[0]?.label);
  });

  it('refuses bad text input with field errors, and a model of another task', async () => {
    const invalid = { code: 'BAD_REQUEST', httpStatus: 400, errorCode: 'INVALID_INPUT' };
    await expectApiError(harness.client.predict.mutate({ texts: [] }), invalid);
    const blank = await expectApiError(harness.client.predict.mutate({ texts: ['   '] }), invalid);
    expect(blank.data?.fieldErrors).toEqual([
      { path: 'texts.0', message: 'text must not be blank' },
    ]);
    await expectApiError(
      harness.client.predict.mutate({ texts: ['x'], image: { base64: 'AAAA' } }),
      { ...invalid, message: /exactly one of image/ },
    );
    await expectApiError(harness.client.predict.mutate({ model: 'digits', texts: ['x'] }), {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      errorCode: 'TASK_MISMATCH',
      message: /digits" serves image-classification/,
    });
  });
});
