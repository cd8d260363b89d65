import path from 'node:path';
import { build } from 'esbuild';
import { repositoryRoot } from './paths.js';

/**
 * The typed client as a browser app's bundler would ship it: createClient, chatStream and
 * waitForJob from the built package, minified, for browsers; with what went into it.
 */
export async function bundleClient(): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    stdin: {
      contents: "export { createClient, chatStream, waitForJob, MlrpcError } from '@mlrpc/client';",
      resolveDir: path.join(repositoryRoot, 'apps/web'),
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return {
    code: result.outputFiles[0]?.text ?? '',
    inputs: Object.keys(result.metafile.inputs),
  };
}
