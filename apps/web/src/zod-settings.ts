import { config } from 'zod';

// zod compiles object parsers with `new Function` after probing for it; the page's
// Content-Security-Policy forbids eval, and the probe alone reports a violation. Imported first.
config({ jitless: true });
