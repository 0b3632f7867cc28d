/**
 * `dtrain playground [scenario] [--port N] [--open] [--build DIR]`: the browser playground
 * (built by `npm run build` into dist/playground/, see docs/playground.md). Without --build it
 * serves that folder on 127.0.0.1 only — static files, GET and HEAD, no directory listing,
 * nothing outside the folder — and prints the URL; `--open` hands the URL to the desktop's
 * browser. A scenario file rides in the URL as the page's share links carry it (`#s=`, the
 * text deflated and written in base64url), so the page opens with it in the editor.
 * `--build DIR` writes the static files to DIR for any web server instead.
 */
import { spawn } from 'node:child_process';
import { cpSync, createReadStream, existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { type Command } from 'commander';
import { DtrainError } from '../errors.js';
import { fileProblem, readTextFileLimited } from '../node/read-file.js';
import { MAX_SCENARIO_BYTES } from '../scenario/text-file.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { wholeNumberFlag } from './number-flags.js';

/** Marks a folder as a playground build (scripts/build-playground.mjs writes it). */
export const BUILD_MARKER = '.dtrain-playground';
export const DEFAULT_PORT = 5180;

/** dist/cli/playground.js → dist/playground/ */
export function builtPlayground(): string {
  return fileURLToPath(new URL('../playground/', import.meta.url));
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

interface PlaygroundFlags {
  port?: number;
  open?: boolean;
  build?: string;
}

function requireBuild(): string {
  const root = builtPlayground();
  if (!existsSync(join(root, 'index.html')) || !existsSync(join(root, 'worker.js'))) {
    throw new DtrainError('playground.notBuilt', `the playground is not built (${escapeForTerminal(root)} lacks index.html or worker.js)`, {
      exitCode: 1,
      hint: 'run npm run build in the dtrain checkout (npm install runs it)',
    });
  }
  return root;
}

/** The share-link hash of a scenario's text: what the page's "Copy link" writes. */
export function scenarioHash(yaml: string): string {
  return `#s=${deflateRawSync(Buffer.from(yaml, 'utf8'), { level: 9 }).toString('base64url')}`;
}

function scenarioFragment(file: string | undefined): string {
  if (file === undefined) return '';
  const read = readTextFileLimited(file, MAX_SCENARIO_BYTES, { regularOnly: !/^\/dev\/(stdin|fd\/\d+)$/.test(file) });
  if (!read.ok) throw new DtrainError('scenario.notFound', `cannot read scenario file '${escapeForTerminal(file)}': ${read.problem}`);
  return scenarioHash(read.text);
}

/**
 * The file a request names inside `root`, or null: a path that is not plain (`..`, a NUL, a
 * backslash, an encoded slash, a hidden file), a directory, a symbolic link leading out, or
 * no file at all.
 */
export function fileFor(root: string, url: string): string | null {
  const pathname = url.split(/[?#]/, 1)[0] ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /[\0\\]/.test(decoded) || /%2f|%5c/i.test(pathname)) return null;
  const parts = decoded.split('/').slice(1);
  // `.`, `..` and hidden files (the build's marker) are not served
  if (parts.some((part) => part.startsWith('.'))) return null;
  const relativePath = decoded === '/' ? 'index.html' : parts.join('/');
  const path = resolve(root, relativePath);
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    const real = realpathSync(path);
    const realRoot = realpathSync(root);
    if (!real.startsWith(realRoot + sep)) return null;
    if (!statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

function serveFile(root: string, request: IncomingMessage, response: ServerResponse): void {
  const plain = (status: number, text: string, extra: Record<string, string> = {}): void => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...extra });
    response.end(request.method === 'HEAD' ? undefined : `${text}\n`);
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed', { Allow: 'GET, HEAD' });
  const file = fileFor(root, request.url ?? '/');
  if (file === null) return plain(404, 'not found');
  const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const size = statSync(file).size;
  response.writeHead(200, {
    'Content-Type': type, 'Content-Length': String(size), 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).on('error', () => response.destroy()).pipe(response);
}

/** The desktop's "open this URL" command; a failure is a line, never the end of the server. */
function openInBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]]
      : ['xdg-open', [url]];
  const fail = (why: string): void => {
    process.stderr.write(`could not open a browser (${why}); open the URL above yourself\n`);
  };
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', (error) => fail(`${command}: ${fileProblem(error) === 'no such file' ? 'not installed' : fileProblem(error)}`));
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) fail(`${command} exited with ${code}`);
    });
    child.unref();
  } catch (error) {
    fail(String((error as Error).message));
  }
}

async function serve(file: string | undefined, flags: PlaygroundFlags): Promise<void> {
  const fragment = scenarioFragment(file);
  const root = requireBuild();
  const port = flags.port ?? DEFAULT_PORT;
  const server = createServer((request, response) => serveFile(root, request, response));
  await new Promise<void>((listening, failed) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        failed(new DtrainError('playground.portInUse', `port ${port} on 127.0.0.1 is in use`, { hint: 'pick another with --port N (--port 0: any free port)' }));
      } else if (error.code === 'EACCES') {
        failed(new DtrainError('playground.portDenied', `port ${port} on 127.0.0.1 needs privileges this user lacks`, { hint: 'pick a port above 1023 with --port N' }));
      } else failed(error);
    });
    server.listen(port, '127.0.0.1', () => listening());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://127.0.0.1:${bound}/${fragment}`;
  process.stdout.write(`dtrain playground: ${url}\n(serving ${escapeForTerminal(root)} on this machine only; Ctrl-C stops it)\n`);
  if (flags.open === true) openInBrowser(url);
}

function isEmptyDir(dir: string): boolean {
  return readdirSync(dir).length === 0;
}

/**
 * Copies the build to DIR. DIR may be missing, empty or a previous build (which is replaced);
 * anything else is refused before a byte is written. The copy is made beside DIR and renamed
 * into place, so DIR is never half written.
 */
function writeBuild(dir: string): void {
  const root = requireBuild();
  const target = resolve(dir);
  const shown = escapeForTerminal(dir);
  const where = `--build ${shown}`;
  let previous = false;
  if (existsSync(target) || isSymlink(target)) {
    const stat = statSafe(target);
    if (stat === null || !stat.isDirectory()) throw new DtrainError('output.notDirectory', `${where}: not a directory`);
    previous = existsSync(join(target, BUILD_MARKER));
    if (!previous && !isEmptyDir(target)) {
      throw new DtrainError('output.notEmpty', `${where}: the directory is not empty and holds no playground build; nothing written`, {
        hint: 'name a new or empty directory (a previous playground build is replaced)',
      });
    }
  }
  const realRoot = realpathSync(root);
  const realTarget = existsSync(target) ? realpathSync(target) : target;
  if (realTarget === realRoot || realTarget.startsWith(realRoot + sep) || realRoot.startsWith(realTarget + sep)) {
    throw new DtrainError('output.overlaps', `${where}: the directory overlaps the installed playground (${escapeForTerminal(root)})`);
  }
  const parent = dirname(target);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw new DtrainError('output.unwritable', `${where}: cannot create ${escapeForTerminal(parent)} (${fileProblem(error)})`);
  }
  const staging = join(parent, `.${relative(parent, target)}.dtrain-tmp-${process.pid}`);
  try {
    cpSync(root, staging, { recursive: true });
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new DtrainError('output.unwritable', `${where}: cannot write (${fileProblem(error)})`);
  }
  const files = readdirSync(target).filter((name) => name !== BUILD_MARKER);
  const bytes = files.reduce((sum, name) => sum + statSync(join(target, name)).size, 0);
  process.stdout.write(`wrote the playground to ${shown} (${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB${previous ? ', replacing the previous build' : ''}); serve it with any static web server\n`);
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function statSafe(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

async function playground(file: string | undefined, flags: PlaygroundFlags): Promise<void> {
  if (flags.build !== undefined) {
    if (flags.port !== undefined || flags.open === true || file !== undefined) {
      throw new DtrainError('cli.invalidArgument', '--build writes the files and serves nothing: leave out --port, --open and the scenario');
    }
    writeBuild(flags.build);
    return;
  }
  await serve(file, flags);
}

export function registerPlayground(program: Command): void {
  program
    .command('playground')
    .description('the browser playground: edit a scenario, run it round by round, watch S1–S4 react (served on this machine only)')
    .argument('[scenario]', 'open the page with this scenario file in the editor (it rides in the URL)')
    .option('-p, --port <n>', `port on 127.0.0.1 (default ${DEFAULT_PORT}; 0: any free port)`, wholeNumberFlag('--port', { min: 0, max: 65535 }))
    .option('--open', 'open the page in the default browser')
    .option('--build <dir>', 'write the page as static files to DIR (for any web server, e.g. GitHub Pages) instead of serving it')
    .addHelpText(
      'after',
      `
The page runs the simulator itself (TensorFlow.js on WebAssembly, in a Web Worker); its
"Download JSON" is byte-identical to dtrain simulate --backend wasm --json of the same
scenario. Nothing is fetched from outside the page's own folder.

Examples:
  $ dtrain playground --open
  $ dtrain playground scenarios/straggler.yaml --open   # the page opens with this scenario
  $ dtrain playground --build site/                     # static files for any web server`,
    )
    .action(playground);
}
