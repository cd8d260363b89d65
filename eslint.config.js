import base from '@mlrpc/eslint-config';

export default base;
