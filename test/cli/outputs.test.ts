/**
 * The output set in-process (src/output-file.ts, src/cli/output-plan.ts): a write that fails
 * part-way (a full disk, injected) leaves no file of the set, no temporary file and no
 * directory it created; stale temporary files of dead processes are removed; paths are told
 * apart by what they name, not how they are spelt.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputPlan, scenarioInputs } from '../../src/cli/output-plan.js';
import { createProblemIn, drained, OutputWriter, removeStaleTemps, removeWorkerTemps, targetOf, writeFileAtomic, writeProblem } from '../../src/output-file.js';
import { DtrainError } from '../../src/errors.js';
import { thrown } from '../helpers/thrown.js';
import { traceSamples } from '../helpers/trace-samples.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dtrain-out-unit-'));
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('OutputWriter', () => {
  it('a failing write (ENOSPC on the second file) removes the first temp, the created directory, and writes nothing', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'old.json'), 'old');
    let calls = 0;
    const writer = new OutputWriter((path, content) => {
      calls += 1;
      if (calls === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      writeFileSync(path, content, { flag: 'wx' });
    });
    writer.ensureDir(join(dir, 'csv', 'deep'), '--csv csv/deep');
    writer.stage({ kind: 'file', path: join(dir, 'old.json'), label: '--json old.json' }, 'new');
    const error = thrown(() => writer.stage({ kind: 'file', path: join(dir, 'csv', 'deep', 'rounds.csv'), label: '--csv csv/deep (rounds.csv)' }, 'x'));
    expect(error).toBeInstanceOf(DtrainError);
    expect((error as DtrainError).message).toBe('cannot write --csv csv/deep (rounds.csv): no space left on device; no output was written');
    expect((error as DtrainError).exitCode).toBe(1);
    expect(readdirSync(dir)).toEqual(['old.json']);
    expect(readFileSync(join(dir, 'old.json'), 'utf8')).toBe('old');
  });

  it('commits every staged file at once under short temporary names', () => {
    const dir = scratch();
    const seen: string[] = [];
    const writer = new OutputWriter((path, content) => {
      seen.push(path);
      writeFileSync(path, content, { flag: 'wx' });
    });
    const long = `${'x'.repeat(250)}`;
    writer.stage({ kind: 'file', path: join(dir, long), label: long }, 'a');
    writer.stage({ kind: 'file', path: join(dir, 'b'), label: 'b' }, 'b');
    expect(existsSync(join(dir, long))).toBe(false);
    writer.commit();
    writer.abort();
    expect(readdirSync(dir).sort()).toEqual(['b', long]);
    for (const temp of seen) expect(temp.slice(dir.length + 1)).toMatch(new RegExp(`^\\.dtrain-${process.pid}-\\d+\\.tmp$`));
  });

  it('writeFileAtomic refuses to write through a temp name planted as a symbolic link', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'victim'), 'keep');
    // the next temp name this process will use is unknown; plant many
    for (let n = 1; n < 200; n++) symlinkSync(join(dir, 'victim'), join(dir, `.dtrain-${process.pid}-${n}.tmp`));
    writeFileAtomic(join(dir, 'out.json'), 'data');
    expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('keep');
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('data');
  });

  it('stageFrom: an output written in pieces now, its file closed at once, renamed at commit; a throw from the filler leaves nothing', () => {
    const dir = scratch();
    const writer = new OutputWriter();
    // more files than a process may hold open at once would fail if each stayed open until commit
    for (let i = 0; i < 1100; i++) writer.stageFrom({ kind: 'file', path: join(dir, `r${i}.json`), label: `r${i}` }, (append) => {
      append('{"a": ');
      append(Buffer.from(String(i)));
      append('}');
    });
    expect(readdirSync(dir).filter((name) => name.endsWith('.json'))).toEqual([]);
    writer.commit();
    expect(readdirSync(dir)).toHaveLength(1100);
    expect(readFileSync(join(dir, 'r1099.json'), 'utf8')).toBe('{"a": 1099}');

    const failing = new OutputWriter();
    failing.stage({ kind: 'file', path: join(dir, 'first'), label: 'first' }, 'x');
    const error = thrown(() => failing.stageFrom({ kind: 'file', path: join(dir, 'second'), label: 'second' }, (append) => {
      append('half');
      throw new DtrainError('merge.unreadableReport', 'cannot read it');
    }));
    expect((error as DtrainError).message).toBe('cannot read it');
    expect(readdirSync(dir).filter((name) => !name.endsWith('.json'))).toEqual([]);
  });

  it('createProblemIn: null where a file can be created (leaving nothing), the reason in words where not', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'plain'), '');
    expect(createProblemIn(dir)).toBeNull();
    expect(readdirSync(dir)).toEqual(['plain']);
    expect(createProblemIn(join(dir, 'plain'))).toBe('a part of the path is not a directory');
    expect(createProblemIn(join(dir, 'missing'))).toBe('no such file or directory');
    expect(createProblemIn('/proc')).toBe('no file can be created there');
  });

  it('write errors are reasons in words', () => {
    expect(writeProblem(Object.assign(new Error('x'), { code: 'EISDIR' }))).toBe('is a directory');
    expect(writeProblem(Object.assign(new Error('x'), { code: 'EROFS' }))).toBe('read-only file system');
  });
});

describe('removeStaleTemps', () => {
  it("removes a dead process's temp files, keeps a live one's and other files", () => {
    const dir = scratch();
    const dead = deadPid();
    writeFileSync(join(dir, `.dtrain-${dead}-3.tmp`), '');
    writeFileSync(join(dir, `.dtrain-${process.pid}-1.tmp`), '');
    writeFileSync(join(dir, '.dtrain-notes.tmp'), '');
    removeStaleTemps(dir);
    expect(readdirSync(dir).sort()).toEqual(['.dtrain-notes.tmp', `.dtrain-${process.pid}-1.tmp`].sort());
  });
});

describe('dead processes\' temporary files, when a file is written', () => {
  it('are removed from a folder the first time this process writes there, not at every write (a study writes a record a run)', () => {
    const [first, second] = [scratch(), scratch()];
    const dead = deadPid();
    writeFileSync(join(first, `.dtrain-${dead}-1.tmp`), '');
    writeFileAtomic(join(first, 'a.json'), 'a');
    expect(readdirSync(first).sort()).toEqual(['a.json']);
    // a second write there lists the folder no more: what a process that died since left stays
    writeFileSync(join(first, `.dtrain-${dead}-2.tmp`), '');
    writeFileAtomic(join(first, 'b.json'), 'b');
    const writer = new OutputWriter();
    writer.stageFrom(targetOf(join(first, 'c.ndjson')), (append) => append('c'));
    writer.commit();
    expect(readdirSync(first).sort()).toEqual([`.dtrain-${dead}-2.tmp`, 'a.json', 'b.json', 'c.ndjson']);
    // another folder is cleaned when first written, streamed or not
    writeFileSync(join(second, `.dtrain-${dead}-3.tmp`), '');
    const streamed = new OutputWriter();
    streamed.stream(targetOf(join(second, 'd.ndjson')))('d');
    streamed.commit();
    expect(readdirSync(second)).toEqual(['d.ndjson']);
  });
});

describe('removeWorkerTemps', () => {
  it("removes this process's worker threads' temp files only: not its main thread's, nor another process's", () => {
    const dir = scratch();
    const names = [`.dtrain-${process.pid}-3-2.tmp`, `.dtrain-${process.pid}-12-7.tmp`, `.dtrain-${process.pid}-3.tmp`, `.dtrain-${deadPid()}-3-2.tmp`, `.dtrain-${process.pid}1-3-2.tmp`, 'run.json'];
    for (const name of names) writeFileSync(join(dir, name), '');
    removeWorkerTemps(dir);
    expect(readdirSync(dir).sort()).toEqual(names.slice(2).sort());
  });
});

describe('OutputPlan', () => {
  it('a hard link, a symbolic link and a ./ spelling name the same file', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.json'), '');
    linkSync(join(dir, 'a.json'), join(dir, 'hard.json'));
    symlinkSync(join(dir, 'a.json'), join(dir, 'soft.json'));
    const plan = new OutputPlan();
    plan.file('--json', join(dir, 'a.json'));
    expect(thrown(() => plan.file('--report', join(dir, 'hard.json')))).toBeInstanceOf(DtrainError);
    const other = new OutputPlan();
    other.file('--json', join(dir, 'soft.json'));
    expect((thrown(() => other.file('--timeline', join(dir, '.', 'a.json'))) as Error).message).toMatch(/name the same file/);
  });

  it('/dev/null may take several outputs; standard output only one', () => {
    const plan = new OutputPlan();
    expect(plan.file('--json', '/dev/null').kind).toBe('special');
    expect(plan.file('--report', '/dev/null').kind).toBe('special');
    expect(plan.file('--timeline', '-', { dash: true }).kind).toBe('stdout');
    expect(plan.usesStdout).toBe(true);
    expect((thrown(() => plan.file('--json2', '/dev/stdout', { dash: true })) as Error).message).toBe(
      '--timeline - and --json2 /dev/stdout both write to standard output; give each output its own path',
    );
  });

  it('a path with control characters is shown escaped', () => {
    const message = (thrown(() => new OutputPlan().file('--json', '/no/such\u001b[31m/x.json')) as Error).message;
    expect(message).toBe("--json /no/such\\e[31m/x.json: directory '/no/such\\e[31m' does not exist");
  });

  it('scenarioInputs lists the scenario, each trace once, and the CSV dataset', () => {
    const trace = { kind: 'trace', file: '/t.csv', loop: false, samples: traceSamples([]) } as const;
    const node = (latency: unknown) => ({ latency }) as never;
    const scenario = {
      cluster: { nodes: [node({ process: trace, loss: 0, down: [] }), node({ process: { kind: 'phases', phases: [{ untilMs: null, latency: { process: trace, loss: 0, down: [] } }] }, loss: 0, down: [] })] },
      data: { dataset: { kind: 'csv', file: '/d.csv' } },
    } as never;
    expect(scenarioInputs(scenario, '/s.yaml')).toEqual([
      { what: 'the scenario file', path: '/s.yaml' },
      { what: 'the trace file', path: '/t.csv' },
      { what: 'the CSV dataset', path: '/d.csv' },
    ]);
  });
});

describe('drained: what standard output queued has been taken', () => {
  /** A stream of a 4-byte buffer whose writes complete only when `take` is called. */
  function slowStream() {
    const pending: Array<() => void> = [];
    const stream = new Writable({ highWaterMark: 4, write: (_chunk, _encoding, done) => void pending.push(done) });
    return { stream, take: () => pending.shift()?.() };
  }
  const settled = async (promise: Promise<void>): Promise<boolean> => {
    let done = false;
    void promise.then(() => (done = true));
    await new Promise((later) => setImmediate(later));
    return done;
  };

  it('at once when nothing waits; when the reader has taken the queue, not before', async () => {
    const { stream, take } = slowStream();
    expect(await settled(drained(stream))).toBe(true);
    stream.write('0123456789');
    stream.write('abc');
    const waiting = drained(stream);
    expect(await settled(waiting)).toBe(false);
    take();
    expect(await settled(waiting)).toBe(false);
    take();
    expect(await settled(waiting)).toBe(true);
  });

  it('when the stream fails or closes instead (the reader went away): the run is not held for ever', async () => {
    const failing = slowStream();
    failing.stream.on('error', () => {});
    failing.stream.write('0123456789');
    const failed = drained(failing.stream);
    failing.stream.destroy(new Error('EPIPE'));
    expect(await settled(failed)).toBe(true);
    const closing = slowStream();
    closing.stream.write('0123456789');
    const closed = drained(closing.stream);
    closing.stream.destroy();
    expect(await settled(closed)).toBe(true);
  });
});

describe('commitPaced: a streamed output bound for standard output', () => {
  /** A child that streams 24 MiB to standard output, commits them paced, then says so on stderr. */
  const SCRIPT = `
    import { OutputWriter } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'dist', 'output-file.js'))};
    const writer = new OutputWriter();
    const append = writer.stream({ kind: 'stdout', label: 'standard output' });
    for (let i = 0; i < 24; i++) append(Buffer.alloc(1024 * 1024, 97 + (i % 26)));
    await writer.commitPaced(() => process.stderr.write('files\\n'));
    process.stderr.write('done\\n');
  `;

  it('is written at its reader’s pace: not done while the reader waits, every byte in order once it reads', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let saidFiles: () => void = () => {};
    const filesSaid = new Promise<void>((resolve) => (saidFiles = resolve));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.startsWith('files\n')) saidFiles();
    });
    // the reader takes nothing: wait (on the child, not the clock) until its files are committed,
    // then half a second more; a commit that queued everything would say "done" at once. A slow
    // machine only starts the half second later, so it cannot make a right commit fail.
    child.stdout.pause();
    await filesSaid;
    await new Promise((later) => setTimeout(later, 500));
    expect(stderr).toBe('files\n');
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stdout.resume();
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(0);
    expect(stderr).toBe('files\ndone\n');
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).toBe(24 * 1024 * 1024);
    expect([bytes[0], bytes[1024 * 1024], bytes.at(-1)]).toEqual([97, 98, 97 + 23]);
  });
});
