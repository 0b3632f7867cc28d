/**
 * `dtrain playground` as a command: what it serves (127.0.0.1 only, MIME types, no listing,
 * nothing outside the build, GET/HEAD only), the URL it prints (with a scenario in the share
 * hash), a port in use, --open without a browser, and --build's output rules (a new, empty
 * or previous-build folder; anything else refused with exit 2 and nothing written).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkedFolder, openServed, writeProblem } from '../../src/cli/playground.js';
import { runCli, STACK_TRACE } from '../hostile/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'dtrain.js');
const BUILD = join(ROOT, 'dist', 'playground');

interface Served {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
}

function serve(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'playground', ...args], { cwd: ROOT, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((found, failed) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^dtrain playground: (\S+)$/m.exec(stdout);
      if (match !== null) found({ child, url: match[1]!, stdout: () => stdout, stderr: () => stderr });
    });
    child.on('exit', (code) => failed(new Error(`exited with ${code}: ${stdout}${stderr}`)));
  });
}

/** A raw request: the path goes on the wire as written (no URL normalisation). */
function get(url: string, path: string, method = 'GET'): Promise<{ status: number; type: string; body: Buffer }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, failed) => {
    const req = request({ host: hostname, port, path, method }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done({ status: response.statusCode!, type: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    req.on('error', failed);
    req.end();
  });
}

describe('dtrain playground (serving)', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve(['--port', '0']);
  });
  afterAll(() => {
    served?.child.kill();
  });

  it('prints a 127.0.0.1 URL and says how to stop', () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(served.stdout()).toContain('on this machine only; Ctrl-C stops it');
  });

  it('serves the page, the worker, the wasm binaries and bundle.json with their MIME types', async () => {
    const cases: Array<[string, string, string]> = [
      ['/', 'text/html; charset=utf-8', 'index.html'],
      ['/index.html', 'text/html; charset=utf-8', 'index.html'],
      ['/worker.js', 'text/javascript; charset=utf-8', 'worker.js'],
      ['/main.js', 'text/javascript; charset=utf-8', 'main.js'],
      ['/tfjs-backend-wasm-simd.wasm', 'application/wasm', 'tfjs-backend-wasm-simd.wasm'],
      ['/bundle.json?x=1', 'application/json; charset=utf-8', 'bundle.json'],
    ];
    for (const [path, type, file] of cases) {
      const response = await get(served.url, path);
      expect([path, response.status, response.type]).toEqual([path, 200, type]);
      expect(response.body.equals(readFileSync(join(BUILD, file)))).toBe(true);
    }
  });

  it('refuses paths out of the build folder, lists no directory, and answers GET and HEAD only', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/..%5cpackage.json', '/%00', '/nothing-here', '//etc/passwd', '/./index.html', '/.dtrain-playground', '/style.css/', '/index.html/', '/index.html//']) {
      const response = await get(served.url, path);
      expect([path, response.status, response.body.toString()]).toEqual([path, 404, 'not found\n']);
    }
    const head = await get(served.url, '/worker.js', 'HEAD');
    expect([head.status, head.body.length]).toEqual([200, 0]);
    const post = await get(served.url, '/', 'POST');
    expect(post.status).toBe(405);
  });

  // both put a probe into the build folder for a moment (named so that no other test minds it)
  it('a directory of the build is not listed', async () => {
    const dir = join(BUILD, 'probe-dir');
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'x.txt'), 'x');
      expect((await get(served.url, '/probe-dir/')).status).toBe(404);
      expect((await get(served.url, '/probe-dir')).status).toBe(404);
      expect((await get(served.url, '/probe-dir/x.txt')).status).toBe(200);
      expect((await get(served.url, '/probe-dir//x.txt')).status).toBe(404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a symbolic link inside the build that leads out of it is not followed', async () => {
    const link = join(BUILD, 'probe-escape.json');
    try {
      symlinkSync(join(ROOT, 'package.json'), link);
      expect((await get(served.url, '/probe-escape.json')).status).toBe(404);
    } finally {
      rmSync(link, { force: true });
    }
  });

  it('a port in use: one error line, exit 2, no stack trace', async () => {
    const port = Number(new URL(served.url).port);
    const result = await runCli(['playground', '--port', String(port)]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`error: port ${port} on 127.0.0.1 is in use\nhint: pick another with --port N (--port 0: any free port)\n`);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it('a --port that is not a port is refused with exit 2', async () => {
    const result = await runCli(['playground', '--port', '70000']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--port must be a whole number from 0 to 65535, found '70000'.");
  });
});

describe('dtrain playground FILE and --open', () => {
  it('a scenario file rides in the URL as the page\'s share hash (deflate-raw, base64url)', async () => {
    const served = await serve(['--port', '0', 'scenarios/straggler.yaml']);
    try {
      const hash = new URL(served.url).hash;
      expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
      expect(inflateRawSync(Buffer.from(hash.slice(3), 'base64url')).toString('utf8')).toBe(readFileSync(join(ROOT, 'scenarios', 'straggler.yaml'), 'utf8'));
    } finally {
      served.child.kill();
    }
  });

  it('a scenario file that cannot be read: exit 2, one line, nothing served', async () => {
    const result = await runCli(['playground', '--port', '0', 'no-such.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: cannot read scenario file 'no-such.yaml': no such file\n");
    expect(result.stdout).toBe('');
  });

  it('a scenario whose link is longer than a Chromium browser opens: exit 2, nothing served', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-biglink-'));
    const file = join(dir, 'big.yaml');
    // random base64 hardly compresses: its link is about as long as the text
    writeFileSync(file, `# ${randomBytes(1_700_000).toString('base64')}\nrounds: 2\n`);
    const result = await runCli(['playground', '--port', '0', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^error: scenario file '${file}': the link would be [\\d,]+ characters, over the 2,097,152 a Chromium browser opens\nhint: run dtrain playground without the file and paste the scenario into the page's editor\n$`));
    expect(result.stdout).toBe('');
  });

  it('--open with no browser opener on PATH: a line, and the server keeps serving', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dtrain-nopath-'));
    const served = await serve(['--port', '0', '--open'], { ...process.env, PATH: empty });
    try {
      for (let i = 0; i < 100 && !served.stderr().includes('could not open'); i++) await new Promise((done) => setTimeout(done, 20));
      expect(served.stderr()).toBe('could not open a browser (xdg-open: not installed); open the URL above yourself\n');
      expect((await get(served.url, '/')).status).toBe(200);
    } finally {
      served.child.kill();
    }
  });
});

describe('dtrain playground without a build', () => {
  it('says how to build it: one error line and a hint, exit 1, no stack trace', async () => {
    // an installation whose dist/ lacks playground/: bin, dist and package.json copied, node_modules linked
    const root = mkdtempSync(join(tmpdir(), 'dtrain-nobuild-'));
    cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true, filter: (path) => !path.startsWith(BUILD) && !path.includes('.building-') });
    cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    const child = spawnSync(process.execPath, [join(root, 'bin', 'dtrain.js'), 'playground', '--port', '0'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(child.status).toBe(1);
    expect(child.stderr).toBe(`error: the playground is not built (${join(root, 'dist', 'playground')}/ lacks index.html or worker.js)\nhint: run npm run build in the dtrain checkout (npm install runs it)\n`);
    expect(child.stdout).toBe('');
  });
});

describe('dtrain playground --build DIR', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'dtrain-build-'));

  it('writes the static files to a new directory', async () => {
    const out = join(scratch, 'site');
    const result = await runCli(['playground', '--build', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^wrote the playground to .*site \(\d+ files, \d+\.\d MB\); serve it with any static web server\n$/);
    expect(readdirSync(out).sort()).toEqual(readdirSync(BUILD).filter((name) => !name.startsWith('probe-')).sort());
    expect(readFileSync(join(out, 'worker.js')).equals(readFileSync(join(BUILD, 'worker.js')))).toBe(true);
  });

  it('replaces a previous build: its own files only, the marker lists them', async () => {
    const out = join(scratch, 'again');
    expect((await runCli(['playground', '--build', out])).status).toBe(0);
    const marker = readFileSync(join(out, '.dtrain-playground'), 'utf8').split('\n');
    expect(marker.slice(1, -1)).toEqual(readdirSync(BUILD).filter((name) => !name.startsWith('.') && !name.startsWith('probe-')).sort());
    // a file an older build wrote (listed in the marker) that the new build lacks is removed
    writeFileSync(join(out, 'stale.js'), 'old');
    writeFileSync(join(out, '.dtrain-playground'), `${marker.join('\n')}stale.js\n`);
    writeFileSync(join(out, 'index.html'), 'edited');
    const result = await runCli(['playground', '--build', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/, replacing the previous build\); serve it with any static web server\n$/);
    expect(existsSync(join(out, 'stale.js'))).toBe(false);
    expect(readFileSync(join(out, 'index.html')).equals(readFileSync(join(BUILD, 'index.html')))).toBe(true);
    expect(readdirSync(out).filter((name) => name.includes('tmp'))).toEqual([]);
  });

  it('a rebuild leaves the user\'s own files beside a previous build alone (a CNAME, a folder of notes)', async () => {
    const out = join(scratch, 'pages');
    expect((await runCli(['playground', '--build', out])).status).toBe(0);
    writeFileSync(join(out, 'CNAME'), 'example.org\n');
    mkdirSync(join(out, 'lessons'));
    writeFileSync(join(out, 'lessons', 'week1.md'), 'notes\n');
    const result = await runCli(['playground', '--build', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/, replacing the previous build; left 2 other entries as they were: CNAME, lessons\); serve it/);
    expect(readFileSync(join(out, 'CNAME'), 'utf8')).toBe('example.org\n');
    expect(readFileSync(join(out, 'lessons', 'week1.md'), 'utf8')).toBe('notes\n');
    // a build copied into a web root with cp -r site/. (the marker came along): same
    const root = join(scratch, 'webroot');
    mkdirSync(root);
    writeFileSync(join(root, 'about.html'), 'mine');
    cpSync(`${out}/.`, root, { recursive: true });
    expect((await runCli(['playground', '--build', root])).status).toBe(0);
    expect(readFileSync(join(root, 'about.html'), 'utf8')).toBe('mine');
    expect(readFileSync(join(root, 'CNAME'), 'utf8')).toBe('example.org\n');
  });

  it('a marker edited to list a file behind a symbolic link to a folder outside: that file is left alone', async () => {
    const out = join(scratch, 'linked');
    expect((await runCli(['playground', '--build', out])).status).toBe(0);
    const victim = join(scratch, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep.txt'), 'precious\n');
    symlinkSync(victim, join(out, 'lessons'));
    writeFileSync(join(out, '.dtrain-playground'), `${readFileSync(join(out, '.dtrain-playground'), 'utf8')}lessons/keep.txt\n`);
    const result = await runCli(['playground', '--build', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readFileSync(join(victim, 'keep.txt'), 'utf8')).toBe('precious\n');
    expect(readFileSync(join(out, '.dtrain-playground'), 'utf8')).not.toContain('lessons/');
  });

  it('finds a symbolic link among the folders on the way to a file of the build', () => {
    const dir = join(scratch, 'ways');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    symlinkSync(tmpdir(), join(dir, 'a', 'out'));
    expect(linkedFolder(dir, 'a/b/file.js')).toBeNull();
    expect(linkedFolder(dir, 'a/out/file.js')).toBe('a/out');
    expect(linkedFolder(dir, 'a/out/deeper/file.js')).toBe('a/out');
    // the file itself a link is no folder on the way (a rebuild replaces or removes the link)
    expect(linkedFolder(dir, 'a/out')).toBeNull();
    expect(linkedFolder(dir, 'missing/file.js')).toBeNull();
  });

  it('a file gone between its lookup and its opening is not served (a 404, not a crash)', () => {
    const dir = join(scratch, 'gone');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x.js'), 'abc');
    const opened = openServed(join(dir, 'x.js'));
    expect(opened?.size).toBe(3);
    closeSync(opened!.fd);
    expect(openServed(join(dir, 'y.js'))).toBeNull();
    expect(openServed(dir)).toBeNull();
  });

  it('--build . inside a previous build rebuilds it without removing the current directory', async () => {
    const out = join(scratch, 'here');
    expect((await runCli(['playground', '--build', out])).status).toBe(0);
    writeFileSync(join(out, 'CNAME'), 'example.org\n');
    const child = spawnSync(process.execPath, [BIN, 'playground', '--build', '.'], { cwd: out, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/^wrote the playground to \. \(\d+ files, \d+\.\d MB, replacing the previous build; left 1 other entry as it was: CNAME\)/);
    expect(readFileSync(join(out, 'CNAME'), 'utf8')).toBe('example.org\n');
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });

  it('a folder of the user\'s where the build writes a file: exit 2, nothing written', async () => {
    const out = join(scratch, 'clash');
    expect((await runCli(['playground', '--build', out])).status).toBe(0);
    rmSync(join(out, 'style.css'));
    mkdirSync(join(out, 'style.css'));
    writeFileSync(join(out, 'worker.js'), 'old');
    const result = await runCli(['playground', '--build', out]);
    expect([result.status, result.stderr]).toEqual([2, `error: --build ${out}: style.css is a directory there, where the build writes a file; nothing written\n`]);
    expect(readFileSync(join(out, 'worker.js'), 'utf8')).toBe('old');
  });

  it('a file of the user\'s named like a file the new build adds (not in the marker): exit 2, nothing written', async () => {
    const out = join(scratch, 'added');
    expect((await runCli(['playground', '--build', out])).status).toBe(0);
    const marker = readFileSync(join(out, '.dtrain-playground'), 'utf8');
    // as if the previous build had no file-hint.js and the user keeps one of their own
    writeFileSync(join(out, '.dtrain-playground'), marker.replace('file-hint.js\n', ''));
    writeFileSync(join(out, 'file-hint.js'), 'mine');
    writeFileSync(join(out, 'worker.js'), 'old');
    const result = await runCli(['playground', '--build', out]);
    expect([result.status, result.stderr]).toEqual([2, `error: --build ${out}: file-hint.js there is not the previous build's, and the build writes a file of that name; nothing written\nhint: move that file away, or build into another directory\n`]);
    expect([readFileSync(join(out, 'file-hint.js'), 'utf8'), readFileSync(join(out, 'worker.js'), 'utf8')]).toEqual(['mine', 'old']);
  });

  it('--build "": exit 2, an empty path is not the current directory', async () => {
    const result = await runCli(['playground', '--build', '']);
    expect([result.status, result.stdout, result.stderr]).toEqual([2, '', 'error: --build: expected a directory name, found an empty string\n']);
  });

  it('a write refused for want of permission says so (not "no permission to read")', () => {
    // root ignores a folder's mode 555, so the words are checked on the error itself
    expect(writeProblem(Object.assign(new Error('x'), { code: 'EACCES' }), '/srv/site')).toBe('no permission to write in /srv/site');
    expect(writeProblem(Object.assign(new Error('x'), { code: 'EROFS' }), '/mnt/ro')).toBe('/mnt/ro is on a read-only file system');
  });

  it('a folder that takes no new files is named as such, not as a missing file', async () => {
    const result = await runCli(['playground', '--build', '/proc/x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: --build /proc/x: cannot write (/proc takes no new files (not an ordinary file system))\n');
  });

  it('an empty directory is fine', async () => {
    const out = join(scratch, 'empty');
    mkdirSync(out);
    expect((await runCli(['playground', '--build', out])).status).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });

  it('refuses a non-empty directory that holds no build: exit 2, nothing written', async () => {
    const out = join(scratch, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const result = await runCli(['playground', '--build', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`error: --build ${out}: the directory is not empty and holds no playground build; nothing written\nhint: name a new or empty directory (a previous playground build is replaced)\n`);
    expect(readdirSync(out)).toEqual(['notes.txt']);
    expect(readdirSync(scratch).filter((name) => name.includes('dtrain-tmp'))).toEqual([]);
  });

  it('refuses a file in place of the directory, and --build with --port', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'x');
    const result = await runCli(['playground', '--build', file]);
    expect([result.status, result.stderr]).toEqual([2, `error: --build ${file}: not a directory\n`]);
    expect(readFileSync(file, 'utf8')).toBe('x');
    const both = await runCli(['playground', '--build', join(scratch, 'x'), '--port', '0']);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('error: --build writes the files and serves nothing: leave out --port, --open and the scenario\n');
    expect(existsSync(join(scratch, 'x'))).toBe(false);
  });

  it('refuses to write into the installed build itself', async () => {
    const result = await runCli(['playground', '--build', BUILD]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: --build .*: the directory overlaps the installed playground/);
  });
});
