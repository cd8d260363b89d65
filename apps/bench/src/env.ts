/** The environment the benchmark's server processes inherit (PATH and the like), plus their own settings. */
export function inheritedEnvironment(): Record<string, string | undefined> {
  return process.env;
}
