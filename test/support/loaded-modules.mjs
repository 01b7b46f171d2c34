// Preloaded with `node --import ./test/support/loaded-modules.mjs …` (worker threads inherit it): appends
// the URL of every module the process and its workers load to the file named by DUBAN_LOADED, one a
// line, so a test can tell compiled JavaScript from TypeScript run through tsx.
import { register } from 'node:module';

if (process.env.DUBAN_LOADED) {
  const hooks = `
    import { appendFileSync } from 'node:fs';
    let file;
    export function initialize(data) { file = data.file; }
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(file, resolved.url + '\\n');
      return resolved;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { file: process.env.DUBAN_LOADED } });
}
