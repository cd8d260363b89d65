/**
 * The compiled script of a worker. Workers always run the built JavaScript (Node 20 cannot apply
 * a TypeScript loader inside workers), so code running from `src` points at `dist`; tests build first.
 */
export function workerScript(name: 'worker/model-worker' | 'device/device-probe-worker'): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL(`../../dist/${name}.js`, here)
    : new URL(`../${name}.js`, here);
}

/**
 * The parent's Node flags minus export conditions: a worker runs built JavaScript, so the
 * packages it imports must resolve to their builds too, not to the sources tests ask for.
 */
export function workerExecArgv(): string[] {
  const flags: string[] = [];
  const given = process.execArgv;
  for (let index = 0; index < given.length; index += 1) {
    const flag = given[index] ?? '';
    if (flag === '--conditions' || flag === '-C') index += 1;
    else if (!flag.startsWith('--conditions=') && !flag.startsWith('-C=')) flags.push(flag);
  }
  return flags;
}
