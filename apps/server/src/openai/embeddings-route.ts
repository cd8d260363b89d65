import { ApiError, createCaller, type ApiDependencies } from '@mlrpc/api';
import {
  embedInputSchema,
  limits,
  openAIEmbeddingsRequestSchema,
  type EmbedOutput,
} from '@mlrpc/schema';
import type { Router } from 'express';
import { contextFor } from '../request-context.js';
import { watchCaller } from './caller-watch.js';
import { parseOpenAIRequest, sendOpenAIError } from './openai-error.js';

/**
 * `POST /v1/embeddings`: up to 2,048 inputs a call, as OpenAI takes (the AI SDK's embedMany and
 * LangChain send that many), embedded as several calls of the model's batch size that run side
 * by side; `dimensions` truncates and re-normalizes; token-id inputs are refused.
 */
export function embeddingsRoute(router: Router, dependencies: ApiDependencies): void {
  router.post('/v1/embeddings', async (request, response) => {
    const watch = watchCaller(response);
    try {
      const body = parseOpenAIRequest(openAIEmbeddingsRequestSchema, request.body);
      const input = typeof body.input === 'string' ? [body.input] : body.input;
      if (input.some((item) => typeof item !== 'string')) {
        throw new ApiError(
          'INVALID_INPUT',
          'input: token ids are not accepted; send the text (this server tokenizes for its own model)',
        );
      }
      const texts = input as string[];
      if (texts.length === 0) throw new ApiError('INVALID_INPUT', 'input: send at least one text');
      const caller = createCaller(contextFor(dependencies, request), { signal: watch.signal });
      const chunks: string[][] = [];
      for (let start = 0; start < texts.length; start += limits.embedMaxTexts) {
        chunks.push(texts.slice(start, start + limits.embedMaxTexts));
      }
      // Texts are checked as one list, so a failure names its place in it (input.300).
      texts.forEach((text, index) => {
        const checked = embedInputSchema.shape.texts.element.safeParse(text);
        if (!checked.success) {
          throw new ApiError(
            'INVALID_INPUT',
            `input.${index}: ${checked.error.issues[0]?.message ?? 'invalid text'}`,
          );
        }
      });
      const results: EmbedOutput[] = await Promise.all(
        chunks.map((chunk) =>
          caller.embed({
            model: body.model,
            texts: chunk,
            ...(body.dimensions == null ? {} : { dimensions: body.dimensions }),
            ...(body.user == null ? {} : { routingKey: body.user }),
          }),
        ),
      );
      const encode = (vector: number[]) =>
        body.encoding_format === 'base64'
          ? Buffer.from(Float32Array.from(vector).buffer).toString('base64')
          : vector;
      const tokens = results.reduce((sum, result) => sum + result.usage.promptTokens, 0);
      response.json({
        object: 'list',
        data: results
          .flatMap((result) => result.embeddings)
          .map((vector, index) => ({ object: 'embedding', index, embedding: encode(vector) })),
        model: results[0]?.model ?? body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    } catch (error) {
      watch.stop();
      if (!watch.left()) sendOpenAIError(response, error);
    }
  });
}
