/** 503 for an unhealthy `health` answer, as `GET /health` gives, so probes need no body parsing. */
export function healthStatusCode(data: unknown, otherwise: number): number {
  const status = (data as { status?: unknown } | undefined)?.status;
  return status === 'unhealthy' ? 503 : otherwise;
}
