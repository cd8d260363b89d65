import path from 'node:path';

export const repositoryRoot = path.resolve(import.meta.dirname, '../../..');
export const sharedRoot = path.resolve(repositoryRoot, '../shared');
export const modelsDir = path.join(sharedRoot, 'models');
export const irisModel = path.join(modelsDir, 'local/iris-mlp/model.onnx');
