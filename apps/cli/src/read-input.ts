import { readFile } from 'node:fs/promises';

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
    file === '-' ? (await readStdin()).toString('utf8') : await readFile(file, 'utf8');
  return [...texts, ...content.split('\n').filter((line) => line.trim() !== '')];
}

/** An image argument as the API takes it: an http(s) URL as is, a path or `-` (stdin) as bytes. */
export async function imageFromArgument(
  image: string,
): Promise<{ url: string } | { base64: string }> {
  if (/^https?:\/\//.test(image)) return { url: image };
  const bytes = image === '-' ? await readStdin() : await readFile(image);
  return { base64: bytes.toString('base64') };
}
