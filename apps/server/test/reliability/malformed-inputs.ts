import fc from 'fast-check';

/** One HTTP call the fuzzer makes. */
export interface FuzzCall {
  method: 'GET' | 'POST';
  path: string;
  /** Where our error code sits in an error body of this route. */
  errorCodeAt: 'trpc' | 'openai' | 'rest';
  body?: string;
  contentType?: string;
}

const text = fc.string({ maxLength: 40 });
const smallArray = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 4 });
const json = fc.jsonValue({ maxDepth: 3 });
const tensor = fc.record(
  {
    dtype: fc.oneof(fc.constantFrom('float32', 'int64', 'float64', 'bool', 'string'), text),
    dims: smallArray(fc.oneof(fc.integer({ min: -2, max: 6 }), fc.double(), json)),
    data: fc.oneof(smallArray(fc.double()), smallArray(fc.integer()), text, json),
  },
  { requiredKeys: [] },
);
const message = fc.record(
  {
    role: fc.oneof(fc.constantFrom('user', 'assistant', 'system', 'tool'), text),
    content: fc.oneof(text, json),
  },
  { requiredKeys: [] },
);
const selection = {
  model: fc.oneof(fc.constantFrom('wordnet-minilm', 'iris', 'digits', 'wordnet-chat'), text, json),
  version: fc.oneof(text, json),
  routingKey: fc.oneof(text, json),
};

/** Inputs shaped like each procedure's, with every field possibly wrong. */
const inputs: Record<string, fc.Arbitrary<unknown>> = {
  embed: fc.record(
    { ...selection, texts: fc.oneof(smallArray(text), smallArray(json), json) },
    { requiredKeys: [] },
  ),
  predict: fc.record(
    {
      ...selection,
      image: fc.oneof(
        fc.record({ base64: fc.oneof(fc.base64String({ maxLength: 200 }), text) }),
        json,
      ),
      inputs: fc.oneof(fc.dictionary(text, tensor, { maxKeys: 3 }), json),
      topK: fc.oneof(fc.integer({ min: -5, max: 2000 }), json),
    },
    { requiredKeys: [] },
  ),
  'chat.complete': fc.record(
    {
      ...selection,
      messages: fc.oneof(smallArray(message), json),
      maxTokens: fc.oneof(fc.integer({ min: -10, max: 100_000 }), json),
      temperature: fc.oneof(fc.double(), json),
      stop: fc.oneof(smallArray(text), json),
      seed: fc.oneof(fc.integer(), json),
    },
    { requiredKeys: [] },
  ),
  'jobs.submit': fc.record(
    {
      kind: fc.oneof(fc.constantFrom('embed', 'predict', 'chat'), text),
      input: json,
      priority: fc.oneof(fc.integer({ min: -3, max: 20 }), json),
      idempotencyKey: fc.oneof(text, json),
    },
    { requiredKeys: [] },
  ),
  'jobs.get': fc.oneof(fc.record({ jobId: fc.oneof(text, json) }, { requiredKeys: [] }), json),
  'jobs.cancel': fc.oneof(fc.record({ jobId: fc.oneof(text, json) }, { requiredKeys: [] }), json),
  'jobs.list': fc.oneof(
    fc.record(
      { status: text, cursor: fc.oneof(text, json), limit: fc.oneof(fc.integer(), json) },
      { requiredKeys: [] },
    ),
    json,
  ),
  'models.get': fc.oneof(fc.record({ id: fc.oneof(text, json) }), json),
  'models.load': fc.oneof(
    fc.record({ id: text, version: fc.oneof(text, json) }, { requiredKeys: [] }),
    json,
  ),
  'models.unload': fc.oneof(fc.record({ id: text, version: text }, { requiredKeys: [] }), json),
};
const queries = new Set(['jobs.get', 'jobs.list', 'models.get']);

/** Nothing the fuzzer sends may name a URL: image URLs would make the server resolve hosts. */
const noUrls = (value: unknown) => !JSON.stringify(value ?? null).includes('://');

const trpcCall = fc
  .constantFrom(...Object.keys(inputs))
  .chain((procedure) =>
    fc.tuple(fc.constant(procedure), (inputs[procedure] as fc.Arbitrary<unknown>).filter(noUrls)),
  )
  .map(([procedure, value]): FuzzCall =>
    queries.has(procedure)
      ? {
          method: 'GET',
          path: `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: value }))}`,
          errorCodeAt: 'trpc',
        }
      : {
          method: 'POST',
          path: `/trpc/${procedure}`,
          errorCodeAt: 'trpc',
          body: JSON.stringify({ json: value }),
          contentType: 'application/json',
        },
  );

/** Bytes that are not JSON at all, or JSON of the wrong shape, to every kind of route. */
const garbageCall = fc
  .tuple(
    fc.constantFrom(
      { path: '/trpc/embed', errorCodeAt: 'trpc' as const },
      { path: '/trpc/predict', errorCodeAt: 'trpc' as const },
      { path: '/trpc/embed,predict?batch=1', errorCodeAt: 'trpc' as const },
      { path: '/v1/embeddings', errorCodeAt: 'openai' as const },
      { path: '/v1/chat/completions', errorCodeAt: 'openai' as const },
      { path: '/api/embed', errorCodeAt: 'rest' as const },
      { path: '/api/predict', errorCodeAt: 'rest' as const },
      { path: '/api/jobs', errorCodeAt: 'rest' as const },
    ),
    fc.oneof(
      fc.string({ maxLength: 200 }),
      json.filter(noUrls).map((value) => JSON.stringify(value)),
    ),
    fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
  )
  .filter(([, body]) => !body.includes('://'))
  .map(([route, body, contentType]): FuzzCall => ({ method: 'POST', ...route, body, contentType }));

/** `count` malformed calls across all procedures, the same ones on every run. */
export function malformedCalls(count: number): FuzzCall[] {
  return fc.sample(
    fc.oneof({ arbitrary: trpcCall, weight: 4 }, { arbitrary: garbageCall, weight: 1 }),
    {
      numRuns: count,
      seed: 20261125,
    },
  );
}
