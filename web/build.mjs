// Builds the consoles into OUT_DIR (the build directory's web/, which baton
// serves): one bundle per console with a content hash in its name, its
// pages with those names filled in, the widget.js loader, and a .gz beside
// every file that gzip makes clearly smaller. Fails when a console's
// JavaScript passes its gzipped budget.
//
//   node build.mjs OUT_DIR [SIZES_FILE]

import * as esbuild from 'esbuild';
import { mkdir, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { join, dirname, relative, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const [outDir, sizesFile] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node build.mjs OUT_DIR [SIZES_FILE]');
  process.exit(2);
}

/** Each console: its entry, its page, and its JavaScript budget (gzip). */
const consoles = [
  { name: 'widget', entry: 'src/widget/main.js', page: 'src/widget/widget.html', out: 'widget.html', budget: 30 * 1024 },
  { name: 'desk', entry: 'src/desk/main.js', page: 'src/desk/desk.html', out: 'desk.html', budget: 80 * 1024 },
  { name: 'board', entry: 'src/board/main.js', page: 'src/board/board.html', out: 'board.html', budget: 80 * 1024 },
  { name: 'landing', entry: 'src/landing/landing.css', page: 'src/landing/index.html', out: 'index.html', budget: 0 },
];

/** Browsers with CSP Level 3 ('self' covering ws:) and ES2020. */
const target = ['chrome100', 'firefox100', 'safari15.4', 'edge100'];

/** Smaller files are sent as they are: gzip's header is not worth it. */
const GZIP_FROM_BYTES = 512;

await rm(outDir, { recursive: true, force: true });
await mkdir(join(outDir, 'assets'), { recursive: true });

const bundled = await esbuild.build({
  absWorkingDir: here,
  entryPoints: Object.fromEntries(consoles.map((c) => [c.name, c.entry])),
  outdir: join(outDir, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'esm',
  target,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

// entry name -> {js, css}, as paths relative to the pages.
const outputs = {};
for (const [file, info] of Object.entries(bundled.metafile.outputs)) {
  if (!info.entryPoint) continue;
  const name = consoles.find((c) => c.entry === info.entryPoint)?.name;
  if (!name) continue;
  const rel = relative(outDir, join(here, file)).split('\\').join('/');
  outputs[name] ??= {};
  outputs[name][file.endsWith('.css') ? 'css' : 'js'] = rel;
  if (info.cssBundle)
    outputs[name].css = relative(outDir, join(here, info.cssBundle));
}

for (const c of consoles) {
  const template = await readFile(join(here, c.page), 'utf8');
  const page = template.replace(/\{\{(\w+)\.(js|css)\}\}/g, (whole, name, kind) => {
    const url = outputs[name]?.[kind];
    if (!url) throw new Error(`${c.page}: nothing built for ${whole}`);
    return url;
  });
  await writeFile(join(outDir, c.out), page);
}

// Named by the pages, at a fixed address: browsers ask for it unasked.
await writeFile(join(outDir, 'favicon.svg'), await readFile(join(here, 'src/common/favicon.svg')));

await esbuild.build({
  absWorkingDir: here,
  entryPoints: ['src/widget/loader.js'],
  outfile: join(outDir, 'widget.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target,
  legalComments: 'none',
  logLevel: 'warning',
});

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const sizes = {};
for await (const path of files(outDir)) {
  const body = await readFile(path);
  const gz = gzipSync(body, { level: 9 });
  const rel = relative(outDir, path).split('\\').join('/');
  sizes[rel] = { bytes: body.length, gzip: gz.length };
  if (body.length >= GZIP_FROM_BYTES && gz.length < body.length * 0.9)
    await writeFile(path + '.gz', gz);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let over = false;
for (const [rel, { bytes, gzip }] of Object.entries(sizes).sort()) {
  console.log(`web: ${rel} ${kb(bytes)} (gzip ${kb(gzip)})`);
}
for (const c of consoles) {
  const js = outputs[c.name]?.js;
  if (!c.budget || !js) continue;
  const gzip = sizes[js].gzip;
  console.log(`web: ${c.name} JavaScript ${kb(gzip)} gzipped, budget ${kb(c.budget)}`);
  if (gzip > c.budget) {
    console.error(`web: ${c.name}: ${basename(js)} is over its budget`);
    over = true;
  }
}
if (sizesFile) await writeFile(sizesFile, JSON.stringify(sizes, null, 2) + '\n');
if (over) process.exit(1);
