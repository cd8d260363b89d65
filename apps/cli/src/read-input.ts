import { readFile } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/** A file named on the command line; one that cannot be read is the command line's mistake. */
export async function readLocalFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UsageError(`cannot read ${file}: ${reason}`);
  }
}

/** All of stdin, for `-` arguments and piped text. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Texts from arguments, or one per non-blank line of a file (`-` for stdin). */
export async function readTexts(texts: string[], file: string | undefined): Promise<string[]> {
  if (!file) return texts;
  const content =
    file === '-'
      ? (await readStdin()).toString('utf8')
      : (await readLocalFile(file)).toString('utf8');
  return [...texts, ...content.split('\n').filter((line) => line.trim() !== '')];
}

/** An image argument as the API takes it: an http(s) URL as is, a path or `-` (stdin) as bytes to upload. */
export async function imageFromArgument(image: string): Promise<{ url: string } | Uint8Array> {
  if (/^https?:\/\//.test(image)) return { url: image };
  return image === '-' ? readStdin() : readLocalFile(image);
}
