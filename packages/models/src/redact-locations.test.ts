import { describe, expect, it } from 'vitest';
import { redactLocations } from './redact-locations.js';

describe('redactLocations', () => {
  it('keeps only the file name of absolute paths', () => {
    expect(
      redactLocations(
        "Load model from /work/shared/models/local/spam/onnx/model.onnx failed: ENOENT, open '/srv/models/x/config.json'",
      ),
    ).toBe("Load model from …/spam/onnx/model.onnx failed: ENOENT, open '…/models/x/config.json'");
    expect(redactLocations('no such folder: /home/ops/models/')).toBe(
      'no such folder: …/ops/models/',
    );
    expect(redactLocations('C:\\models\\local\\x.onnx is missing')).toBe(
      '…/models/local/x.onnx is missing',
    );
  });

  it('hides URLs, credentials and internal hosts included', () => {
    expect(
      redactLocations(
        'upstream http://user:secret@10.0.3.7:8000/v1/models answered 401 (see https://llm.internal/x?y=1)',
      ),
    ).toBe('upstream <url> answered 401 (see <url>)');
  });

  it('leaves ordinary messages, model ids and ratios alone', () => {
    const plain = 'local/spam-bert-tiny has no onnx/model_quantized.onnx; 3/4 devices failed';
    expect(redactLocations(plain)).toBe(plain);
  });
});
