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
      { path: '/trpc/predictImage', errorCodeAt: 'trpc' as const },
      { path: '/api/predict/image', errorCodeAt: 'rest' as const },
    ),
    fc.oneof(
      fc.string({ maxLength: 200 }),
      json.filter(noUrls).map((value) => JSON.stringify(value)),
    ),
    fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=fuzz',
      'application/octet-stream',
    ),
  )
  .filter(([, body]) => !body.includes('://'))
  .map(([route, body, contentType]): FuzzCall => ({ method: 'POST', ...route, body, contentType }));

/** superjson's `meta`, well-formed or not: type annotations that do not fit their values. */
const superjsonMeta = fc.oneof(
  json,
  fc.record({
    values: fc.oneof(
      fc.dictionary(
        fc.constantFrom('texts', 'texts.0', 'texts.1', 'query', 'image', 'inputs', 'messages.0'),
        fc.oneof(
          fc.tuple(
            fc.constantFrom('bigint', 'symbol', 'Date', 'set', 'map', 'undefined', 'regexp'),
          ),
          fc.tuple(fc.constantFrom('class', 'custom', 'symbol'), text),
          json,
        ),
      ),
      fc.tuple(fc.constantFrom('symbol', 'bigint', 'set', 'map'), text),
      json,
    ),
    referentialEqualities: fc.oneof(json, fc.dictionary(text, smallArray(text))),
  }),
);

const procedureInput = fc
  .constantFrom(...Object.keys(inputs))
  .chain((procedure) =>
    fc.tuple(fc.constant(procedure), (inputs[procedure] as fc.Arbitrary<unknown>).filter(noUrls)),
  );

/** A superjson envelope with a meta that may lie, alone or in a batch (the two /trpc paths). */
const metaCall = fc
  .tuple(procedureInput, procedureInput, superjsonMeta.filter(noUrls), fc.boolean())
  .map(([[first, firstInput], [second, secondInput], meta, batched]): FuzzCall => {
    const query = queries.has(first);
    if (!batched) {
      const envelope = JSON.stringify({ json: firstInput, meta });
      return query
        ? {
            method: 'GET',
            path: `/trpc/${first}?input=${encodeURIComponent(envelope)}`,
            errorCodeAt: 'trpc',
          }
        : {
            method: 'POST',
            path: `/trpc/${first}`,
            errorCodeAt: 'trpc',
            body: envelope,
            contentType: 'application/json',
          };
    }
    // A batch holds calls of one kind: two queries, or two mutations.
    const partner = queries.has(second) === query ? second : first;
    const envelopes = JSON.stringify({
      0: { json: firstInput, meta },
      1: { json: partner === second ? secondInput : firstInput },
    });
    return query
      ? {
          method: 'GET',
          path: `/trpc/${first},${partner}?batch=1&input=${encodeURIComponent(envelopes)}`,
          errorCodeAt: 'trpc',
        }
      : {
          method: 'POST',
          path: `/trpc/${first},${partner}?batch=1`,
          errorCodeAt: 'trpc',
          body: envelopes,
          contentType: 'application/json',
        };
  });

/** The REST routes with bodies shaped like their inputs, every field possibly wrong. */
const restCall = fc
  .constantFrom(
    ['/api/embed', 'embed'] as const,
    ['/api/predict', 'predict'] as const,
    ['/api/chat/complete', 'chat.complete'] as const,
    ['/api/jobs', 'jobs.submit'] as const,
    ['/api/models/load', 'models.load'] as const,
  )
  .chain(([path, procedure]) =>
    (inputs[procedure] as fc.Arbitrary<unknown>).filter(noUrls).map((value): FuzzCall => ({
      method: 'POST',
      path,
      errorCodeAt: 'rest',
      body: JSON.stringify(value),
      contentType: 'application/json',
    })),
  );

/** The OpenAI routes with bodies shaped like OpenAI's requests, every field possibly wrong. */
const openAICall = fc
  .oneof(
    fc
      .record(
        {
          model: selection.model,
          input: fc.oneof(text, smallArray(text), smallArray(fc.integer()), json),
          dimensions: fc.oneof(fc.integer({ min: -5, max: 5_000 }), json),
          encoding_format: fc.oneof(fc.constantFrom('float', 'base64'), text),
        },
        { requiredKeys: [] },
      )
      .map((body) => ['/v1/embeddings', body] as const),
    fc
      .record(
        {
          model: selection.model,
          messages: fc.oneof(smallArray(message), json),
          max_tokens: fc.oneof(fc.integer({ min: -10, max: 64 }), json),
          temperature: fc.oneof(fc.double(), json),
          n: fc.oneof(fc.integer({ min: -1, max: 12 }), json),
          response_format: fc.oneof(fc.record({ type: text }), json),
          tools: fc.oneof(smallArray(json), json),
          logprobs: fc.oneof(fc.boolean(), json),
        },
        { requiredKeys: [] },
      )
      .map((body) => ['/v1/chat/completions', body] as const),
    fc
      .record(
        {
          model: selection.model,
          query: fc.oneof(text, json),
          documents: fc.oneof(smallArray(text), json),
        },
        { requiredKeys: [] },
      )
      .map((body) => ['/v1/rerank', body] as const),
  )
  .filter(([, body]) => noUrls(body))
  .map(([path, body]): FuzzCall => ({
    method: 'POST',
    path,
    errorCodeAt: 'openai',
    body: JSON.stringify(body),
    contentType: 'application/json',
  }));

/** JSON nested thousands of levels deep, to every route family. */
const deepCall = fc
  .tuple(
    fc.constantFrom(
      {
        path: '/trpc/embed',
        errorCodeAt: 'trpc' as const,
        wrap: (inner: string) => `{"json":${inner}}`,
      },
      {
        path: '/trpc/embed,predict?batch=1',
        errorCodeAt: 'trpc' as const,
        wrap: (inner: string) => `{"0":{"json":${inner}}}`,
      },
      {
        path: '/api/embed',
        errorCodeAt: 'rest' as const,
        wrap: (inner: string) => `{"texts":${inner}}`,
      },
      { path: '/api/predict', errorCodeAt: 'rest' as const, wrap: (inner: string) => inner },
      {
        path: '/v1/embeddings',
        errorCodeAt: 'openai' as const,
        wrap: (inner: string) => `{"model":"wordnet-minilm","input":${inner}}`,
      },
    ),
    fc.integer({ min: 1_000, max: 20_000 }),
    fc.constantFrom(['[', ']'], ['{"a":', '}']),
  )
  .map(([route, depth, [open, close]]): FuzzCall => ({
    method: 'POST',
    path: route.path,
    errorCodeAt: route.errorCodeAt,
    body: route.wrap(`${(open ?? '[').repeat(depth)}1${(close ?? ']').repeat(depth)}`),
    contentType: 'application/json',
  }));

/** Multipart forms, whole or cut short, with odd names, values and files, to the upload routes and others. */
const formCall = fc
  .tuple(
    fc.constantFrom(
      { path: '/trpc/predictImage', errorCodeAt: 'trpc' as const },
      { path: '/api/predict/image', errorCodeAt: 'rest' as const },
      { path: '/trpc/embed', errorCodeAt: 'trpc' as const },
      { path: '/trpc/predictImage?batch=1', errorCodeAt: 'trpc' as const },
      { path: '/api/embed', errorCodeAt: 'rest' as const },
    ),
    fc.array(
      fc.record({
        name: fc.oneof(
          fc.constantFrom('image', 'model', 'topK', 'version', 'routingKey', '__proto__', 'texts'),
          text,
        ),
        value: fc.oneof(text, fc.base64String({ maxLength: 300 }), fc.constantFrom('digits', '3')),
        file: fc.option(fc.constantFrom('a.png', '', 'x"y.png', 'ü.png')),
      }),
      { maxLength: 6 },
    ),
    fc.option(fc.nat({ max: 400 })),
    fc.constantFrom(
      'multipart/form-data; boundary=fuzz',
      'multipart/form-data; boundary=fuzz',
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'multipart/form-data; boundary=other',
    ),
  )
  .map(([route, parts, cutAt, contentType]): FuzzCall => {
    const body =
      parts
        .map(
          (part) =>
            `--fuzz\r\nContent-Disposition: form-data; name="${part.name}"` +
            (part.file === null ? '' : `; filename="${part.file}"`) +
            `\r\n\r\n${part.value}\r\n`,
        )
        .join('') + '--fuzz--\r\n';
    return {
      method: 'POST',
      ...route,
      body: cutAt === null ? body : body.slice(0, cutAt),
      contentType,
    };
  })
  .filter((call) => noUrls(call.body));

/** `count` malformed calls across all procedures, the same ones on every run. */
export function malformedCalls(count: number): FuzzCall[] {
  return fc.sample(
    fc.oneof(
      { arbitrary: trpcCall, weight: 6 },
      { arbitrary: metaCall, weight: 3 },
      { arbitrary: restCall, weight: 3 },
      { arbitrary: openAICall, weight: 3 },
      { arbitrary: garbageCall, weight: 2 },
      { arbitrary: formCall, weight: 2 },
      { arbitrary: deepCall, weight: 1 },
    ),
    {
      numRuns: count,
      seed: 20261125,
    },
  );
}
