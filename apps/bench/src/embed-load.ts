import { createClient } from '@mlrpc/client';
import { closedLoop } from './load.js';
import { readSentences } from './sentences.js';

// A load generator of its own (node dist/embed-load.js <url> <callers> <seconds>): 32 callers
// embedding continuously, in a process apart from the one that probes, so a probe's latency is
// the server's and not the load generator's own event loop. Prints sentences/s when done.
const [url = '', callers = '32', seconds = '8'] = process.argv.slice(2);
const sentences = await readSentences();
const client = createClient({ url, batch: false });
const { perSecond } = await closedLoop(
  Number(callers),
  Number(seconds) * 1000,
  (caller, sequence) =>
    client.embed.mutate({ texts: [sentences[(caller * 31 + sequence) % sentences.length] ?? 'x'] }),
);
console.log(perSecond);
