/** At most `points` calls per `durationSeconds`, per caller, for one procedure group. */
export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

/** Rules by procedure group (`predict`, `embed`, `chat`, `jobs`, `models`) and `default`. */
export type RateLimitRules = Record<string, RateLimitRule>;

const units: Record<string, number> = { second: 1, minute: 60, hour: 3_600, day: 86_400 };

/**
 * Reads `predict=10/minute,embed=600/minute,default=1200/minute` (units: second, minute, hour,
 * day); `off` or nothing means no limits. Throws a readable error on anything else.
 */
export function parseRateLimitRules(text: string): RateLimitRules {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'off') return {};
  const rules: RateLimitRules = {};
  for (const part of trimmed.split(',')) {
    const match = /^\s*([a-z]+)\s*=\s*(\d+)\s*\/\s*(second|minute|hour|day)s?\s*$/i.exec(part);
    const unit = match?.[3] ? units[match[3].toLowerCase()] : undefined;
    if (!match?.[1] || !match[2] || unit === undefined || Number(match[2]) < 1) {
      throw new Error(
        `"${part.trim()}" is not a rate limit: write procedure=count/unit, e.g. predict=10/minute`,
      );
    }
    rules[match[1].toLowerCase()] = { points: Number(match[2]), durationSeconds: unit };
  }
  return rules;
}
