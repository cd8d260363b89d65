import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelConfig, modelConfigSchema } from './model-config.js';

const entry = { id: 'e', task: 'feature-extraction', source: 'local/e' } as const;

describe('modelConfigSchema', () => {
  it('fills in documented defaults', () => {
    const config = modelConfigSchema.parse({ models: [entry] });
    expect(config.models[0]).toMatchObject({
      version: '1',
      dtype: 'fp32',
      device: 'auto',
      pooling: 'mean',
      normalize: true,
    });
    expect(config.defaults).toEqual({});
  });

  it('refuses the same id and version twice', () => {
    const result = modelConfigSchema.safeParse({ models: [entry, entry] });
    expect(result.error?.issues[0]?.message).toContain('listed twice');
  });

  it('refuses a task default that is missing or serves another task', () => {
    expect(
      modelConfigSchema.safeParse({ defaults: { 'feature-extraction': 'x' }, models: [entry] })
        .success,
    ).toBe(false);
    expect(
      modelConfigSchema.safeParse({ defaults: { 'image-classification': 'e' }, models: [entry] })
        .success,
    ).toBe(false);
  });

  it('refuses unknown keys, so typos do not pass silently', () => {
    expect(modelConfigSchema.safeParse({ models: [{ ...entry, dytpe: 'q8' }] }).success).toBe(
      false,
    );
  });
});

describe('loadModelConfig', () => {
  it('names the file and the field when the config is bad', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'mlrpc-config-'));
    const file = path.join(folder, 'models.json');
    await writeFile(file, JSON.stringify({ models: [{ ...entry, device: 'tpu' }] }));
    await expect(loadModelConfig(file)).rejects.toThrow(/models\.json is invalid[\s\S]*device/);
    await writeFile(file, '{ nope');
    await expect(loadModelConfig(file)).rejects.toThrow(/not valid JSON/);
    await expect(loadModelConfig(path.join(folder, 'missing.json'))).rejects.toThrow(/cannot read/);
  });

  it('reads the shipped configs', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    for (const name of ['models.json', 'models.local.json']) {
      const config = await loadModelConfig(path.join(root, 'config', name));
      expect(Object.keys(config.defaults)).toEqual(
        expect.arrayContaining(['feature-extraction', 'image-classification']),
      );
    }
  });
});
