// The tests' npm packages live in web/node_modules (web/package.json):
// resolved from there, since ES modules ignore NODE_PATH.
import { createRequire } from 'node:module';

export const requireFromWeb = createRequire(
  new URL('../../../web/package.json', import.meta.url),
);
