import path from 'node:path';

/** The repository root, and the `shared/` folder that sits beside it (models and data). */
export const repositoryRoot = path.resolve(import.meta.dirname, '../../../..');
export const sharedRoot = path.resolve(repositoryRoot, '../shared');
export const digitsRoot = path.join(sharedRoot, 'data/digits/test');
