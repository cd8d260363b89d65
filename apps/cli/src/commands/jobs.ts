import type { Job, MlrpcClient, RouterInputs } from '@mlrpc/client';
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { exitCodes } from '../exit-codes.js';
import { jobSummary } from '../job-summary.js';
import { print } from '../output.js';
import { renderProgress } from '../progress-bar.js';
import { imageFromArgument, readLocalFile, readTexts } from '../read-input.js';
import { UsageError } from '../usage-error.js';

interface SubmitOptions {
  file?: string;
  model?: string;
  priority?: number;
  idempotencyKey?: string;
  wait?: boolean;
}

/** Follows a job with a progress bar; the exit code says how it ended. */
async function follow(client: MlrpcClient, jobId: string, json: boolean): Promise<void> {
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const job = await client.waitForJob(jobId, {
      signal: controller.signal,
      onProgress: (progress) => {
        if (!json) renderProgress(jobId.slice(0, 8), progress);
      },
    });
    print(json, job, () => jobSummary(job));
    if (job.status !== 'completed') process.exitCode = exitCodes.failed;
  } catch (error) {
    if (controller.signal.aborted) {
      process.stderr.write(`\nstopped watching; the job goes on (mlrpc jobs cancel ${jobId})\n`);
      process.exitCode = exitCodes.interrupted;
      return;
    }
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

async function submission(kind: string, args: string[], options: SubmitOptions) {
  const selection = options.model ? { model: options.model } : {};
  const extra = {
    ...(options.priority ? { priority: options.priority } : {}),
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
  };
  switch (kind) {
    case 'embed': {
      const texts = await readTexts(args, options.file);
      if (texts.length === 0) throw new UsageError('give texts, or --file with one per line');
      return { kind: 'embed' as const, input: { ...selection, texts }, ...extra };
    }
    case 'chat': {
      const prompt =
        args.join(' ') ||
        (options.file ? (await readLocalFile(options.file)).toString('utf8').trim() : '');
      if (!prompt) throw new UsageError('give a prompt');
      return {
        kind: 'chat' as const,
        input: { ...selection, messages: [{ role: 'user' as const, content: prompt }] },
        ...extra,
      };
    }
    case 'classify': {
      const image = args[0];
      if (!image) throw new UsageError('give an image path, URL or -');
      const source = await imageFromArgument(image);
      // A job's input is stored as JSON until a worker takes it: bytes travel as base64 here.
      const json =
        source instanceof Uint8Array ? { base64: Buffer.from(source).toString('base64') } : source;
      return { kind: 'predict' as const, input: { ...selection, image: json }, ...extra };
    }
    case 'classify-text':
    case 'entities': {
      const texts = await readTexts(args, options.file);
      if (texts.length === 0) throw new UsageError('give texts, or --file with one per line');
      const task = kind === 'entities' ? 'token-classification' : 'text-classification';
      return { kind: 'predict' as const, input: { ...selection, task, texts }, ...extra };
    }
    case 'rerank': {
      const [query, ...rest] = args;
      const documents = await readTexts(rest, options.file);
      if (!query || documents.length === 0) {
        throw new UsageError('give a query, then documents or --file with one per line');
      }
      return { kind: 'rerank' as const, input: { ...selection, query, documents }, ...extra };
    }
    default:
      throw new UsageError(
        `unknown job kind "${kind}": embed, chat, classify, classify-text, entities or rerank`,
      );
  }
}

/** `mlrpc jobs submit|ls|watch|cancel`. */
export function jobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('background jobs');
  jobs
    .command('submit <kind> [args...]')
    .description(
      'queue a job: embed|classify-text|entities <texts...|--file>, rerank <query> <documents...|--file>, chat <prompt>, classify <image>',
    )
    .option('-f, --file <path>', 'texts or documents, one per line (- for stdin)')
    .option('-m, --model <id>', 'a model other than the default')
    .option('-p, --priority <1-10>', '1 runs first', (value) => Number(value))
    .option('--idempotency-key <key>', 'submitting again with it returns the same job')
    .option('-w, --wait', 'follow it to the end with a progress bar')
    .action(async (kind: string, args: string[], options: SubmitOptions, command: Command) => {
      const input = (await submission(kind, args, options)) as RouterInputs['jobs']['submit'];
      const { client, json } = connect(command);
      const job = await client.jobs.submit.mutate(input);
      if (options.wait) return follow(client, job.id, json);
      print(json, job, () => job.id);
    });
  jobs
    .command('ls')
    .description('your jobs, newest first')
    .option('--status <status>', 'queued, running, completed, failed or cancelled')
    .option('-n, --limit <n>', 'how many', (value) => Number(value), 20)
    .action(async (options: { status?: Job['status']; limit: number }, command: Command) => {
      const { client, json } = connect(command);
      const page = await client.jobs.list.query({
        limit: options.limit,
        ...(options.status ? { status: options.status } : {}),
      });
      print(json, page, () => page.jobs.map(jobSummary).join('\n') || 'no jobs');
    });
  jobs
    .command('watch <jobId>')
    .description('follow a job with a progress bar until it ends')
    .action(async (jobId: string, _options, command: Command) => {
      const { client, json } = connect(command);
      await follow(client, jobId, json);
    });
  jobs
    .command('cancel <jobId>')
    .description('cancel a queued or running job')
    .action(async (jobId: string, _options, command: Command) => {
      const { client, json } = connect(command);
      const job = await client.jobs.cancel.mutate({ jobId });
      print(json, job, () => jobSummary(job));
    });
}
