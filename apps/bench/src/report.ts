import { cpus, totalmem } from 'node:os';
import {
  generatedTokens,
  streamCounts,
  type ConcurrentRun,
  type GenerationRun,
} from './chat-bench.js';
import {
  constrainedModes,
  type ConstrainedMode,
  type ConstrainedRun,
} from './constrained-bench.js';
import type { HttpLoadResult } from './load.js';
import type { LivenessUnderLoad } from './health-bench.js';
import { median } from './statistics.js';

import { bigJobTexts, smallJobs, type JobsResults } from './jobs-bench.js';
import { rerankDocuments, textBatch, textCallers } from './text-tasks-bench.js';
import { imageSection, imageSummaryRow, type ImageResults } from './image-report.js';
import { number, runsOf, verdict } from './report-format.js';

export interface BenchResults {
  startedAt: Date;
  durationSeconds: number;
  runs: number;
  rawEmbed: Record<number, number[]>;
  batchedEmbed: Record<number, number[]>;
  unbatchedEmbed: Record<number, number[]>;
  /** Mean items per model call the batching server formed, by number of callers. */
  meanBatch: Record<number, number>;
  iris: Array<{ name: string; results: HttpLoadResult[] }>;
  irisCheck: string;
  liveness: LivenessUnderLoad;
  rawChat: GenerationRun[];
  serverChat: GenerationRun[];
  /** The same lone stream alternating between a server keeping events in memory and one writing them to Redis. */
  chatStore: { memory: GenerationRun[]; redis: GenerationRun[] };
  memory: { afterWarmUpMiB: number; afterRequestsMiB: number; requests: number };
  jobs: JobsResults;
  /** Aggregate tokens/s and time to first token by model and number of streams. */
  chatConcurrency: Record<string, Record<number, ConcurrentRun[]>>;
  /** Tokens/s of a lone llama-random generation by output constraint, and each mode's first call. */
  constrained: {
    modes: Partial<Record<ConstrainedMode, ConstrainedRun[]>>;
    firstCallMs: Partial<Record<ConstrainedMode, number>>;
  };
  /** Texts/s and pairs/s, raw in-process and through the server. */
  textTasks: {
    rawClassification: number[];
    serverClassification: number[];
    rawRerank: number[];
    serverRerank: number[];
  };
  images: ImageResults;
}

/** BENCHMARKS.md: every target beside its measured figure, with the raw runs behind each median. */
export function renderReport(results: BenchResults): string {
  const ceilingSize = Object.entries(results.rawEmbed).sort(
    (a, b) => median(b[1]) - median(a[1]),
  )[0];
  const ceiling = median(ceilingSize?.[1] ?? []);
  const batched32 = median(results.batchedEmbed[32] ?? []);
  const unbatched32 = median(results.unbatchedEmbed[32] ?? []);
  const fastapi = median(
    results.iris
      .find((row) => row.name.startsWith('FastAPI'))
      ?.results.map((r) => r.requestsPerSecond) ?? [],
  );
  const mlrpcIris = median(results.iris[0]?.results.map((r) => r.requestsPerSecond) ?? []);
  const productionIris = median(
    results.iris
      .find((row) => row.name.startsWith('mlrpc in production'))
      ?.results.map((r) => r.requestsPerSecond) ?? [],
  );
  const growth = (results.memory.afterRequestsMiB / results.memory.afterWarmUpMiB - 1) * 100;
  const rawTokens = median(results.rawChat.map((run) => run.tokensPerSecond));
  const serverTokens = median(results.serverChat.map((run) => run.tokensPerSecond));
  const rawTtft = median(results.rawChat.map((run) => run.ttftMs));
  const serverTtft = median(results.serverChat.map((run) => run.ttftMs));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const storeTokens = (store: 'memory' | 'redis') =>
    median(results.chatStore[store].map((run) => run.tokensPerSecond));
  const storeTtft = (store: 'memory' | 'redis') =>
    median(results.chatStore[store].map((run) => run.ttftMs));
  const { textTasks, chatConcurrency } = results;
  const aggregate = (model: string, streams: number) =>
    median((chatConcurrency[model]?.[streams] ?? []).map((run) => run.tokensPerSecond));
  const firstToken = (model: string, streams: number) =>
    median((chatConcurrency[model]?.[streams] ?? []).map((run) => run.ttftMs));
  const scaling = (model: string) => aggregate(model, 8) / aggregate(model, 1);
  const ttftRatio = (model: string) => firstToken(model, 8) / firstToken(model, 1);
  const rawTexts = median(textTasks.rawClassification);
  const serverTexts = median(textTasks.serverClassification);
  const rawPairs = median(textTasks.rawRerank);
  const serverPairs = median(textTasks.serverRerank);
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`pnpm bench\` on ${results.startedAt.toISOString()} in ${number(results.durationSeconds)} s.`,
    `Machine: ${cpu}, ${cpus().length} cores, ${number(totalmem() / 2 ** 30)} GiB, Node ${process.version}, no GPU.`,
    `Every figure is the median of ${results.runs} runs on loopback, raw runs in brackets; servers run as`,
    'their own processes (as in production) and the load generator shares the same two cores.',
    '',
    '## Summary',
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| embed: batched server at 32 callers >= 0.9x the raw ceiling | ${number(batched32 / ceiling, 2)}x (${number(batched32)} vs ${number(ceiling)} sentences/s) | ${verdict(batched32 >= 0.9 * ceiling)} |`,
    `| embed: gain of batching over no batching at 32 callers | ${number(batched32 / unbatched32, 2)}x | (reported) |`,
    `| iris predict >= 2x FastAPI requests/s, request ids and logging on | ${number(mlrpcIris / fastapi, 2)}x (${number(mlrpcIris)} vs ${number(fastapi)}) | ${verdict(mlrpcIris >= 2 * fastapi)} |`,
    `| cost of auth + rate limiting on iris predict requests/s | ${number((1 - productionIris / mlrpcIris) * 100, 1)}% (${number(productionIris)} vs ${number(mlrpcIris)}) | (reported) |`,
    `| /health/live p99 <= 20 ms while inference saturates both cores | ${number(results.liveness.p99Ms, 1)} ms | ${verdict(results.liveness.p99Ms <= 20)} |`,
    `| chat: 8 concurrent 128-token streams on llama-random >= 4x one lone stream (aggregate tokens/s) | ${number(scaling('llama-random'), 2)}x (${number(aggregate('llama-random', 8))} vs ${number(aggregate('llama-random', 1))}) | ${verdict(scaling('llama-random') >= 4)} |`,
    `| chat: 8 concurrent streams on wordnet-chat >= 3x one lone stream | ${number(scaling('wordnet-chat'), 2)}x (${number(aggregate('wordnet-chat', 8))} vs ${number(aggregate('wordnet-chat', 1))}) | ${verdict(scaling('wordnet-chat') >= 3)} |`,
    `| chat: time to first token at 8 streams <= 2x idle (llama-random / wordnet-chat) | ${number(ttftRatio('llama-random'), 2)}x / ${number(ttftRatio('wordnet-chat'), 2)}x | ${verdict(ttftRatio('llama-random') <= 2 && ttftRatio('wordnet-chat') <= 2)} |`,
    `| chat tokens/s over SSE >= 0.95x raw in-process generation | ${number(serverTokens / rawTokens, 2)}x (${number(serverTokens)} vs ${number(rawTokens)}) | ${verdict(serverTokens >= 0.95 * rawTokens)} |`,
    `| time to first token overhead <= 10 ms | ${number(serverTtft - rawTtft, 1)} ms (${number(serverTtft, 1)} vs ${number(rawTtft, 1)} ms) | ${verdict(serverTtft - rawTtft <= 10)} |`,
    `| chat events written to Redis (any replica resumes): cost on tokens/s and time to first token | ${number((1 - storeTokens('redis') / storeTokens('memory')) * 100, 1)}% (${number(storeTokens('redis'))} vs ${number(storeTokens('memory'))}), ${number(storeTtft('redis') - storeTtft('memory'), 1)} ms | (reported) |`,
    `| text classification through the server vs raw in-process (texts/s) | ${number(serverTexts / rawTexts, 2)}x (${number(serverTexts)} vs ${number(rawTexts)}) | (reported) |`,
    `| reranking with a cross-encoder through the server vs raw in-process (pairs/s) | ${number(serverPairs / rawPairs, 2)}x (${number(serverPairs)} vs ${number(rawPairs)}) | (reported) |`,
    imageSummaryRow(results.images),
    `| jobs/s, 1,000 small embed jobs via Redis and ${results.jobs.workers} workers | ${number(median(results.jobs.jobsPerSecond))} | (reported) |`,
    `| a ${number(bigJobTexts)}-sentence embed job, submit to completed, via Redis | ${number(median(results.jobs.bigJobSeconds.redis), 1)} s | (reported) |`,
    `| RSS growth < 5% over ${number(results.memory.requests)} requests after warm-up | ${number(growth, 1)}% (${number(results.memory.afterWarmUpMiB)} -> ${number(results.memory.afterRequestsMiB)} MiB) | ${verdict(growth < 5)} |`,
    '',
    '## 1. Embedding throughput (sentences/s)',
    '',
    'Model: `local/all-MiniLM-L6-v2-random` (all-MiniLM-L6-v2 architecture and cost, random weights, q8);',
    'one WordNet gloss (about 20 tokens) per call; each caller sends its next call when the last one answered.',
    '',
    '| | 1 caller | 8 callers | 32 callers |',
    '|---|---|---|---|',
    `| mlrpc, batching on (maxBatchSize 32, maxQueueDelayMs 2) | ${[1, 8, 32].map((c) => `${number(median(results.batchedEmbed[c] ?? []))} ${runsOf(results.batchedEmbed[c] ?? [])}`).join(' | ')} |`,
    `| mlrpc, batching off (maxBatchSize 1) | ${[1, 8, 32].map((c) => `${number(median(results.unbatchedEmbed[c] ?? []))} ${runsOf(results.unbatchedEmbed[c] ?? [])}`).join(' | ')} |`,
    '',
    `| mean batch the server formed (items per model call) | ${[1, 8, 32].map((c) => number(results.meanBatch[c] ?? 0, 1)).join(' | ')} |`,
    '',
    '| raw transformers.js in-process, same model | batch 1 | batch 8 | batch 32 |',
    '|---|---|---|---|',
    `| sentences/s | ${[1, 8, 32].map((size) => `${number(median(results.rawEmbed[size] ?? []))} ${runsOf(results.rawEmbed[size] ?? [])}`).join(' | ')} |`,
    '',
    `Ceiling (best raw batch size, ${ceilingSize?.[0] ?? '?'}): ${number(ceiling)} sentences/s.`,
    '',
    '## 2. Trivial generic-model predict (iris), requests/s',
    '',
    'One row of 4 features per request, 32 keep-alive connections (autocannon), 5 s per run.',
    `Same work everywhere, checked: ${results.irisCheck}.`,
    '',
    '| server | requests/s | p50 ms | p99 ms | vs FastAPI |',
    '|---|---|---|---|---|',
    ...results.iris.map(({ name, results: runs }) => {
      const rps = median(runs.map((run) => run.requestsPerSecond));
      return `| ${name} | ${number(rps)} ${runsOf(runs.map((run) => run.requestsPerSecond))} | ${number(median(runs.map((run) => run.p50Ms)), 1)} | ${number(median(runs.map((run) => run.p99Ms)), 1)} | ${number(rps / fastapi, 2)}x |`;
    }),
    '',
    '## 3. Liveness while inference saturates the CPU',
    '',
    `32 callers embedding continuously (${number(results.liveness.sentencesPerSecond)} sentences/s) while one client probes`,
    `\`/health/live\` in sequence: ${results.liveness.samples} probes, p50 ${number(results.liveness.p50Ms, 1)} ms,`,
    `p99 ${number(results.liveness.p99Ms, 1)} ms, max ${number(results.liveness.maxMs, 1)} ms.`,
    '',
    '## 5. Streaming chat',
    '',
    `Model: \`local/tiny-random-LlamaForCausalLM-smollm-tokenizer\` (greedy, ${generatedTokens} new tokens, never stops early), one`,
    'caller. Raw: transformers.js in this process with a TextStreamer. Server: chat.stream over SSE to the typed',
    'client, timed by the client from subscribing to the end event. Time to first token counts to the first text.',
    '',
    '| | tokens/s | time to first token, ms |',
    '|---|---|---|',
    `| raw in-process generate | ${number(rawTokens)} ${runsOf(results.rawChat.map((run) => run.tokensPerSecond))} | ${number(rawTtft, 1)} |`,
    `| mlrpc chat.stream over SSE | ${number(serverTokens)} ${runsOf(results.serverChat.map((run) => run.tokensPerSecond))} | ${number(serverTtft, 1)} |`,
    '',
    'Cost of multi-replica streams: the same lone stream, alternating run by run between this server (events',
    'kept in memory) and a second one started with `REDIS_URL` (every event appended to a Redis stream, AOF with',
    'fsync on every write, and the generation lock renewed), so that any replica can resume it.',
    '',
    '| events kept in | tokens/s | time to first token, ms |',
    '|---|---|---|',
    ...(['memory', 'redis'] as const).map((store) => {
      const runs = results.chatStore[store];
      return `| ${store === 'memory' ? 'memory (one server)' : 'Redis (any replica resumes)'} | ${number(median(runs.map((run) => run.tokensPerSecond)))} ${runsOf(runs.map((run) => run.tokensPerSecond))} | ${number(median(runs.map((run) => run.ttftMs)), 1)} |`;
    }),
    '',
    '## 8. Chat under concurrency (continuous batching)',
    '',
    'Each stream is a caller streaming chat turns back to back for 4 s (a closed loop, like users waiting for',
    `their answer): llama-random turns of ${generatedTokens} tokens (it never stops early), wordnet-chat answers to its trained`,
    'dictionary questions (10 to 40 tokens, then end of sequence). The model runs one worker; its batch decoder',
    'decodes up to 16 sequences together over one left-padded KV cache, newcomers prefilled between steps.',
    '',
    '| model | streams | aggregate tokens/s | vs 1 stream | median time to first token, ms |',
    '|---|---|---|---|---|',
    ...['llama-random', 'wordnet-chat'].flatMap((model) =>
      streamCounts.map(
        (streams) =>
          `| ${model} | ${streams} | ${number(aggregate(model, streams))} ${runsOf((chatConcurrency[model]?.[streams] ?? []).map((run) => run.tokensPerSecond))} | ${number(aggregate(model, streams) / aggregate(model, 1), 2)}x | ${number(firstToken(model, streams), 1)} |`,
      ),
    ),
    '',
    '## 7. Text classification and reranking',
    '',
    `Text classification: \`local/spam-bert-tiny\` (BERT, 4 layers, fp32) on the ${number(1179)} held-out SpamAssassin`,
    `messages (a few words to 1,500 characters, cut at 256 tokens); ${textBatch} texts per call. Raw: the transformers.js`,
    'text-classification pipeline in-process, which pads each call to its longest text. Server: predict with',
    `\`texts\`, ${textCallers} callers at once; the server sorts each batch by length and runs it in groups under a`,
    'padded-token budget, so short messages do not pay for long ones.',
    `Reranking: \`local/wordnet-reranker-tiny\` (a cross-encoder, 6 layers, fp32), WordNet lemma queries against`,
    `held-out glosses. Raw: tokenizer + model in-process, ${textBatch} pairs per call. Server: rerank with ${rerankDocuments} documents per`,
    `call, ${textCallers} callers.`,
    '',
    '| | raw in-process | mlrpc | ratio |',
    '|---|---|---|---|',
    `| text classification, texts/s | ${number(rawTexts)} ${runsOf(textTasks.rawClassification)} | ${number(serverTexts)} ${runsOf(textTasks.serverClassification)} | ${number(serverTexts / rawTexts, 2)}x |`,
    `| reranking, (query, document) pairs/s | ${number(rawPairs)} ${runsOf(textTasks.rawRerank)} | ${number(serverPairs)} ${runsOf(textTasks.serverRerank)} | ${number(serverPairs / rawPairs, 2)}x |`,
    '',
    ...imageSection(results.images),
    '## What limits the missed figures',
    '',
    '- **Embedding vs the ceiling.** Callers here are closed loops: each sends its next sentence only once the',
    '  last one answered. With one model instance, the callers whose batch is running cannot be in the next one,',
    '  so 32 callers settle into two cohorts and batches of about 16 (the mean batch row above), not 32. The',
    '  ceiling is the best raw batch size. The load generator also runs on the same two cores (about a',
    '  third of one core at 32 callers). Open-loop traffic (many independent clients) fills batches further.',
    "  The raw runs also keep onnxruntime's default spin-waiting threads, which the server turns off so the",
    '  cores stay free for HTTP: about 1 ms more per lone call (3.1 vs 2.1 ms measured inside the model',
    "  worker); a model entry's `spinWait: true` trades that back on machines with cores to spare.",
    '- **iris vs FastAPI.** A CPU profile of the server under this load (`node --cpu-prof`) after this round',
    "  (superjson's walk skipped for plain-JSON outputs, a lean access log in place of pino-http, one tRPC",
    "  middleware per call) shows no single cost left: garbage collection about 12% of the event loop, tRPC's",
    '  core about 11% (most of it copying the options object for each middleware hop), writing responses about',
    '  10%, Express routing about 7%, zod input and output validation about 4%, and the main thread idle about',
    '  13% (waiting on the load generator, which shares the two cores). The bare node:http row shows what the',
    '  same work costs without Express, tRPC, logging and the worker thread.',
    '- **Chat under concurrency.** CPU profiles (`node --cpu-prof`) of the model worker thread with 8 streams, taken',
    '  apart from this run (there 8 streams gave 3.1x one stream on llama-random and 3.0x on wordnet-chat): the',
    '  batched decode step inside onnxruntime takes 45% (llama-random) and 55% (wordnet-chat) of the worker, argmax',
    '  over the 49,152-token vocabulary in JavaScript 14% and 4%, posting events to the main thread 6% and 2%, and',
    '  the worker waits idle 27% and 28% of the time, while the main thread is 82-87% idle. Two things cap the',
    "  scaling on this machine: onnxruntime already spreads a lone stream's step over both cores (intra-op",
    '  threads), so a batch of 8 gains from amortizing per-call overhead, not from idle cores; and these tiny',
    "  models' step cost is dominated by work per row (the vocabulary projection and its argmax), which grows",
    '  with the batch. The idle share is the closed loop: a caller whose turn ended is between its end event and',
    '  its next request while the others decode. Time to first token at 8 streams is one or two decode steps of',
    "  the full batch plus the newcomer's chunked prefill between steps.",
    '- **Liveness p99.** Inference runs in worker threads at low CPU priority and no longer blocks the event',
    '  loop (p50 stays about 1 ms); the tail comes from young-generation garbage collection pauses (5 to 10 ms,',
    '  seen with `--trace-gc`) and CPU scheduling on two cores shared with the load generator.',
    '',
    '## 4. Memory',
    '',
    `Server RSS (main thread and model workers) after a warm-up of 20,000 requests: ${number(results.memory.afterWarmUpMiB)} MiB;`,
    `after ${number(results.memory.requests)} more predict requests: ${number(results.memory.afterRequestsMiB)} MiB (${number(growth, 1)}%).`,
    '',
    '## 9. Constrained decoding (JSON output)',
    '',
    `One llama-random generation at a time, greedy, up to ${generatedTokens} tokens, chat.stream through the typed client.`,
    'Under a JSON schema every step masks the logits (a bitset per automaton state: found by walking the token',
    'trie, or inside free text by length plus the few tokens with quotes or backslashes, then cached), checks',
    'that the document can still be finished within the tokens left, and advances the automaton. Text fields:',
    'an object of strings, an integer, an enum, an array and a nested object (the random model fills strings',
    'until the budget guard closes them). Records: at least 3 objects of integers, enums, numbers and booleans',
    '(structure on nearly every token). Decoding tokens/s counts the tokens after the first over the time after',
    'the first text; the first call of each mode is timed apart (the first constrained call of a model builds its',
    'token vocabulary, decoding each of its 49,152 tokens once).',
    '',
    '| output | decoding tokens/s | vs free text | tokens per reply | time to first text, ms | first call, ms |',
    '|---|---|---|---|---|---|',
    ...constrainedModes.map((mode) => {
      const runs = results.constrained.modes[mode] ?? [];
      const rate = median(runs.map((run) => run.tokensPerSecond));
      const free = median(
        (results.constrained.modes['free text'] ?? []).map((run) => run.tokensPerSecond),
      );
      return `| ${mode} | ${number(rate)} ${runsOf(runs.map((run) => run.tokensPerSecond))} | ${number(rate / free, 2)}x | ${number(median(runs.map((run) => run.tokens)))} | ${number(median(runs.map((run) => run.ttftMs)), 1)} | ${number(results.constrained.firstCallMs[mode] ?? 0)} |`;
    }),
    '',
    '## 6. Background jobs',
    '',
    `Redis (Debian redis-server, AOF with fsync on every write) with ${results.jobs.workers} \`apps/worker\` processes`,
    `(JOBS_CONCURRENCY ${results.jobs.workerConcurrency}) and a server that only queues; same model as section 1.`,
    `Throughput: ${number(smallJobs)} one-sentence embed jobs submitted at once, timed until the last completed.`,
    `Big job: one embed job of ${number(bigJobTexts)} sentences (batches of 256, progress per batch), submit to completed`,
    'as seen by a jobs.watch subscriber, through Redis and in the server itself (embedded backend, no Redis).',
    '',
    '| | measured |',
    '|---|---|',
    `| jobs/s (1,000 small jobs, Redis, ${results.jobs.workers} workers) | ${number(median(results.jobs.jobsPerSecond))} ${runsOf(results.jobs.jobsPerSecond)} |`,
    `| 10,000-sentence job, Redis + 1 worker runs it, s | ${number(median(results.jobs.bigJobSeconds.redis), 1)} [${results.jobs.bigJobSeconds.redis.map((value) => number(value, 1)).join(', ')}] |`,
    `| 10,000-sentence job, embedded backend in the server, s | ${number(median(results.jobs.bigJobSeconds.embedded), 1)} [${results.jobs.bigJobSeconds.embedded.map((value) => number(value, 1)).join(', ')}] |`,
    `| same 10,000 sentences at the raw ceiling (section 1), s | ${number(bigJobTexts / ceiling, 1)} |`,
    '',
  ];
  return lines.join('\n');
}
