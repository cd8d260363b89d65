/** Bounds every input is checked against; exported so clients can validate before sending. */
export const limits = {
  modelIdMaxLength: 128,
  versionMaxLength: 64,
  embedMaxTexts: 256,
  embedMaxTextLength: 8_192,
  imageMaxBytes: 10 * 1024 * 1024,
  imageUrlMaxLength: 2_048,
  topKMax: 100,
  topKDefault: 5,
  routingKeyMaxLength: 256,
  tensorMaxElements: 1_000_000,
  tensorMaxRank: 8,
  tensorMaxInputs: 32,
} as const;
