#!/usr/bin/env node
// The `blinkup` command. The TypeScript is compiled to dist/ by `npm run build` (run by `prepare`).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('blinkup: not built yet; run `npm run build` first\n');
    process.exit(2);
  }
  throw err;
});
