import { anyJsonObject, type JsonShape } from './json-shape.js';
import { compileJsonSchema } from './json-schema-compiler.js';
import { JsonConstraint } from './json-constraint.js';
import { TokenMasks } from './token-masks.js';
import type { TokenVocabulary } from './token-vocabulary.js';

/** What a generation's output must be: any JSON object, or JSON valid against a schema. */
export interface ConstraintSpec {
  schema: Record<string, unknown> | 'json-object';
  /**
   * The model's first token decides: one that starts the document enters it, any other leaves
   * the output free (tool calls when `tool_choice` is `auto`).
   */
  optional: boolean;
}

/** Compiled schemas kept per model, by their JSON text. */
const maxShapes = 64;

/**
 * Constraints for one model: its token vocabulary and masks (built on first use and shared by
 * every generation after), and its compiled schemas.
 */
export class ConstraintFactory {
  private masks: TokenMasks | undefined;
  private readonly shapes = new Map<string, JsonShape>();

  constructor(
    private readonly buildVocabulary: () => TokenVocabulary,
    private readonly endOfSequence: readonly number[],
  ) {}

  get vocabulary(): TokenVocabulary {
    return this.tokenMasks().vocabulary;
  }

  create(spec: ConstraintSpec): JsonConstraint {
    return new JsonConstraint(this.shapeOf(spec), this.tokenMasks());
  }

  private tokenMasks(): TokenMasks {
    this.masks ??= new TokenMasks(this.buildVocabulary(), this.endOfSequence);
    return this.masks;
  }

  private shapeOf(spec: ConstraintSpec): JsonShape {
    if (spec.schema === 'json-object') return anyJsonObject;
    const key = JSON.stringify(spec.schema);
    const cached = this.shapes.get(key);
    if (cached) return cached;
    const shape = compileJsonSchema(spec.schema);
    this.shapes.set(key, shape);
    if (this.shapes.size > maxShapes) this.shapes.delete(this.shapes.keys().next().value as string);
    return shape;
  }
}
