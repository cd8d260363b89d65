export * from './embed.js';
export * from './error-code.js';
export * from './health.js';
export * from './image-source.js';
export * from './limits.js';
export * from './model-info.js';
export * from './model-reference.js';
export * from './predict.js';
