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
