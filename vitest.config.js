import base from '@mlrpc/vitest-config';

export default base;
