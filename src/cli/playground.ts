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
import { closeSync, cpSync, createReadStream, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { type Command } from 'commander';
import { linkTooLong } from '../browser/protocol.js';
import { DtrainError } from '../errors.js';
import { fileProblem, readTextFileLimited, withNearFile } from '../node/read-file.js';
import { MAX_SCENARIO_BYTES, nearFileHint } from '../scenario/text-file.js';
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
  if (!read.ok) throw new DtrainError('scenario.notFound', `cannot read scenario file '${escapeForTerminal(file)}': ${read.problem}`, { hint: nearFileHint(withNearFile(file, read)) });
  const hash = scenarioHash(read.text);
  // the longest address it may be served at: the check comes before a port is bound
  const tooLong = linkTooLong('http://127.0.0.1:65535/'.length + hash.length);
  if (tooLong !== null) {
    throw new DtrainError('playground.linkTooLong', `scenario file '${escapeForTerminal(file)}': ${tooLong}`, {
      hint: 'run dtrain playground without the file and paste the scenario into the page\'s editor',
    });
  }
  return hash;
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
  // a file named as a folder (`/style.css/`) or an empty segment (`/a//b`) is no file of the build
  if (decoded !== '/' && parts.some((part) => part === '')) return null;
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
  // opened before it is measured and read: a file removed or replaced meanwhile (a rebuild
  // swapping the folder) is either the whole old file or a 404, never a crash of the server
  const opened = openServed(file);
  if (opened === null) return plain(404, 'not found');
  const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
  response.writeHead(200, {
    'Content-Type': type, 'Content-Length': String(opened.size), 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    closeSync(opened.fd);
    response.end();
    return;
  }
  // pipeline: a client that goes away mid-file closes the file too
  pipeline(createReadStream('', { fd: opened.fd, start: 0, end: Math.max(0, opened.size - 1) }), response, () => {});
}

/** A file to serve, open, with its size; null when it is gone or no longer a file. */
export function openServed(file: string): { fd: number; size: number } | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) return { fd, size: stat.size };
  } catch {
    // falls through: closed below
  }
  closeSync(fd);
  return null;
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

/** The marker's first line; the build's own files follow, one a line (scripts/build-playground.mjs writes the same). */
const MARKER_HEADER = 'a dtrain playground build; dtrain playground --build replaces the files listed below and leaves other files alone';

/** Every file under `dir` as a `/`-separated path relative to it, the marker left out. */
function buildFiles(dir: string, under = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(dir, under), { withFileTypes: true })) {
    const path = under === '' ? entry.name : `${under}/${entry.name}`;
    if (entry.isDirectory()) for (const inner of buildFiles(dir, path)) found.push(inner);
    else if (path !== BUILD_MARKER) found.push(path);
  }
  return found.sort();
}

/**
 * The files a previous build in `target` wrote, from its marker: only plain relative paths
 * (a hand-edited marker names nothing outside the folder). A marker of an older dtrain lists
 * nothing; then only the files the new build writes are replaced.
 */
function previousFiles(target: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(target, BUILD_MARKER), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').slice(1).filter((line) => line !== '' && !line.startsWith('/') && !/[\0\\]/.test(line)
    && line.split('/').every((part) => part !== '' && part !== '.' && part !== '..'));
}

/** A write failure in words: what the file system said, for a path dtrain writes. */
export function writeProblem(error: unknown, dir: string): string {
  const code = (error as { code?: string }).code;
  const shown = escapeForTerminal(dir);
  if (code === 'EACCES' || code === 'EPERM') return `no permission to write in ${shown}`;
  if (code === 'EROFS') return `${shown} is on a read-only file system`;
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EDQUOT') return 'the disk quota is used up';
  // ENOENT while the folder exists: a file system that takes no new files (/proc, /sys)
  if (code === 'ENOENT' && existsSync(dir)) return `${shown} takes no new files (not an ordinary file system)`;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `${shown} does not exist`;
  return fileProblem(error);
}

function isEmptyDir(dir: string): boolean {
  return readdirSync(dir).length === 0;
}

/**
 * Copies the build to DIR. DIR may be missing, empty or hold a previous build; anything else
 * is refused before a byte is written. A previous build's marker lists the files it wrote:
 * those are replaced (or removed when the new build has no such file), every other file —
 * a CNAME, a page of the user's own — is left alone, and so is DIR itself (it may be the
 * current directory). The new files are first copied into a hidden folder inside DIR (or
 * beside a new DIR) and then renamed into place, so a failed copy leaves DIR as it was.
 */
function writeBuild(dir: string): void {
  const root = requireBuild();
  const target = resolve(dir);
  const shown = escapeForTerminal(dir);
  const where = `--build ${shown}`;
  let exists = false;
  let previous = false;
  if (existsSync(target) || isSymlink(target)) {
    const stat = statSafe(target);
    if (stat === null || !stat.isDirectory()) throw new DtrainError('output.notDirectory', `${where}: not a directory`);
    exists = true;
    previous = existsSync(join(target, BUILD_MARKER));
    if (!previous && !isEmptyDir(target)) {
      throw new DtrainError('output.notEmpty', `${where}: the directory is not empty and holds no playground build; nothing written`, {
        hint: 'name a new or empty directory (a previous playground build is replaced)',
      });
    }
  }
  const realRoot = realpathSync(root);
  const realTarget = exists ? realpathSync(target) : target;
  if (realTarget === realRoot || realTarget.startsWith(realRoot + sep) || realRoot.startsWith(realTarget + sep)) {
    throw new DtrainError('output.overlaps', `${where}: the directory overlaps the installed playground (${escapeForTerminal(root)})`);
  }
  const files = buildFiles(root);
  const marker = `${MARKER_HEADER}\n${files.join('\n')}\n`;
  const kept = exists ? replaceInPlace(root, target, files, marker, where) : writeNew(root, target, marker, where);
  const bytes = files.reduce((sum, name) => sum + statSync(join(target, name)).size, 0);
  const keptNote = kept.length === 0 ? ''
    : `; left ${kept.length} other ${kept.length === 1 ? 'entry' : 'entries'} as ${kept.length === 1 ? 'it was' : 'they were'}: ${kept.slice(0, 5).map(escapeForTerminal).join(', ')}${kept.length > 5 ? ', …' : ''}`;
  process.stdout.write(`wrote the playground to ${shown} (${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB${previous ? ', replacing the previous build' : ''}${keptNote}); serve it with any static web server\n`);
}

/** A new DIR: the copy is made beside it and renamed into place. */
function writeNew(root: string, target: string, marker: string, where: string): string[] {
  const parent = dirname(target);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw new DtrainError('output.unwritable', `${where}: cannot create ${escapeForTerminal(parent)} (${writeProblem(error, dirname(parent))})`);
  }
  const staging = join(parent, `.${relative(parent, target)}.dtrain-tmp-${process.pid}`);
  try {
    cpSync(root, staging, { recursive: true });
    writeFileSync(join(staging, BUILD_MARKER), marker);
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new DtrainError('output.unwritable', `${where}: cannot write (${writeProblem(error, parent)})`);
  }
  return [];
}

/**
 * An existing DIR (empty or a previous build): the new files are staged in a hidden folder
 * inside it, a path where the user keeps a folder of their own is refused, then each file is
 * renamed over its old self, the previous build's files the new one lacks are removed, and
 * the marker written last. Returns the top-level entries left alone.
 */
function replaceInPlace(root: string, target: string, files: string[], marker: string, where: string): string[] {
  // a listing marker says which files are the build's: another file where the new build
  // writes one (a file this version added, say) is the user's; an older marker lists none
  const listed = new Set(previousFiles(target));
  for (const file of files) {
    const link = linkedFolder(target, file);
    if (link !== null) {
      throw new DtrainError('output.conflict', `${where}: ${escapeForTerminal(link)} there is a symbolic link, where the build writes a folder; nothing written`);
    }
    const stat = lstatSafe(join(target, file));
    if (stat !== null && stat.isDirectory()) {
      throw new DtrainError('output.conflict', `${where}: ${escapeForTerminal(file)} is a directory there, where the build writes a file; nothing written`);
    }
    if (stat !== null && listed.size > 0 && !listed.has(file)) {
      throw new DtrainError('output.conflict', `${where}: ${escapeForTerminal(file)} there is not the previous build's, and the build writes a file of that name; nothing written`, {
        hint: 'move that file away, or build into another directory',
      });
    }
  }
  const staging = join(target, `${BUILD_MARKER}-tmp-${process.pid}`);
  try {
    cpSync(root, staging, { recursive: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new DtrainError('output.unwritable', `${where}: cannot write (${writeProblem(error, target)}); nothing written`);
  }
  const fresh = new Set(files);
  try {
    for (const file of files) {
      mkdirSync(dirname(join(target, file)), { recursive: true });
      renameSync(join(staging, file), join(target, file));
    }
    for (const file of listed) {
      // a folder on its way that is a symbolic link leads out of DIR (the marker is a file
      // anyone can edit): what lies there is not the build's
      if (fresh.has(file) || linkedFolder(target, file) !== null) continue;
      const path = join(target, file);
      const stat = lstatSafe(path);
      if (stat === null || stat.isDirectory()) continue;
      rmSync(path, { force: true });
      removeEmptyParents(target, dirname(path));
    }
    writeFileSync(join(target, BUILD_MARKER), marker);
  } catch (error) {
    throw new DtrainError('output.unwritable', `${where}: cannot write (${writeProblem(error, target)})`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const ours = new Set(files.map((file) => file.split('/')[0]!));
  ours.add(BUILD_MARKER);
  return readdirSync(target).filter((name) => !ours.has(name)).sort();
}

/** The first folder on the way to `file` (a relative path) inside `target` that is a symbolic link, or null. */
export function linkedFolder(target: string, file: string): string | null {
  const parts = file.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    if (lstatSafe(join(target, folder))?.isSymbolicLink() === true) return folder;
  }
  return null;
}

/** Folders a removed file leaves empty, up to (not including) `top`. */
function removeEmptyParents(top: string, dir: string): void {
  for (let at = dir; at !== top && at.startsWith(top + sep); at = dirname(at)) {
    try {
      if (readdirSync(at).length > 0) return;
      rmdirSync(at);
    } catch {
      return;
    }
  }
}

function lstatSafe(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
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
    if (flags.build === '') throw new DtrainError('cli.invalidArgument', '--build: expected a directory name, found an empty string');
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
