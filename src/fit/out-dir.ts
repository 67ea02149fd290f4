/**
 * The `--out DIR` directory, written so that a user can trust what is in it:
 *
 * 1. `openOutDir` (before any sampling): creates DIR, takes the lock file `DIR/.glmm-lock` (holding the
 *    process id; a lock whose process is gone is taken over) and makes a fresh temporary directory
 *    `DIR/.glmm-tmp-XXXXXX`, so an unwritable DIR, or a second run writing there, fails at once;
 * 2. `write` puts each output file (summary.json, the draws CSVs, the report, and any further files such
 *    as a log_lik set) into the temporary directory;
 * 3. `commit` removes the files the previous run wrote, as its manifest `DIR/.glmm-outputs` lists them
 *    (nothing else is touched: a file the user put there stays, whatever its name), renames the new
 *    files into DIR, writes the new manifest (every name this run wrote, as the writers gave them: no
 *    hand-kept list of output names to fall behind), and drops the temporary directory and the lock. A
 *    rerun with fewer chains, or without an output the last run had, therefore leaves no stale file,
 *    and two runs never mix their files;
 * 4. `abort` drops the temporary directory and the lock and leaves DIR as it was.
 *
 * Every step is synchronous, so a signal handler (which runs between event-loop turns) never sees a
 * half-moved directory.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GlmmInputError, fsErrorWords } from '../../base/errors.js';

/**
 * One output file: its name inside the --out directory and its content, whole or as a sequence of
 * pieces (written one after another, so a large draws file never has to be one string).
 */
export interface OutputFile {
  readonly name: string;
  readonly content: string | Uint8Array | Iterable<string>;
}

/** The content of an output file as one string (for a browser download or a test). */
export function outputText(file: OutputFile): string {
  const c = file.content;
  if (typeof c === 'string') return c;
  if (c instanceof Uint8Array) return new TextDecoder().decode(c);
  return [...c].join('');
}

function writeFile(path: string, content: OutputFile['content']): void {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    writeFileSync(path, content);
    return;
  }
  const fd = openSync(path, 'w');
  try {
    for (const piece of content) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

/** An --out directory being written (see the module comment). */
export interface OutDir {
  readonly dir: string;
  /**
   * The temporary directory: a writer that takes a directory path (e.g. the log_lik and loo files) may
   * write there directly; `commit` moves every file found in it.
   */
  readonly path: string;
  /** Writes one file into the temporary directory. */
  write(file: OutputFile): void;
  /** Replaces the previous run's files in `dir` by the written ones; releases the lock. */
  commit(): void;
  /** Drops what was written and releases the lock; `dir` keeps its previous files. Safe to call twice. */
  abort(): void;
}

const LOCK = '.glmm-lock';
const TMP_PREFIX = '.glmm-tmp-';

/** The manifest of the last committed run: one output name per line after a comment line. */
const MANIFEST = '.glmm-outputs';
const MANIFEST_HEAD = '# the files the last glmm run wrote here; the next run into this directory replaces exactly these';

/**
 * The names the last run wrote, from its manifest (none without one). Only plain names of files in
 * DIR are taken: a line with a path separator, a dot name or a name that is not a file is ignored.
 */
function previousOutputs(dir: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((n) => n !== '' && !n.startsWith('#') && !n.startsWith('.') && !/[\\/]/.test(n)).filter((n) => {
    try {
      return statSync(join(dir, n)).isFile();
    } catch {
      return false;
    }
  });
}

function fail(dir: string, what: string, e: unknown, hint: string): never {
  throw new GlmmInputError(`--out ${dir}: cannot ${what} (${fsErrorWords(e)}); ${hint}`);
}

/** True if process `pid` is running (signal 0 probes without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes DIR/.glmm-lock, or throws naming the run that holds it. */
function takeLock(dir: string): string {
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') fail(dir, 'write there', e, 'choose a writable directory');
      let pid = NaN;
      try {
        pid = Number(readFileSync(path, 'utf8').trim());
      } catch {
        continue; // removed meanwhile: try again
      }
      if (!(Number.isInteger(pid) && pid > 0) || alive(pid)) {
        // an empty lock is one being written this instant: busy too
        const who = Number.isInteger(pid) && pid > 0 ? ` (process ${pid})` : '';
        throw new GlmmInputError(`--out ${dir}: another glmm run${who} is writing there; wait for it to finish or choose another directory (if none is, remove ${path})`);
      }
      // left by a run that was killed: its lock and its temporary directories go
      for (const n of readdirSync(dir)) if (n.startsWith(TMP_PREFIX)) rmSync(join(dir, n), { recursive: true, force: true });
      rmSync(path, { force: true });
    }
  }
  throw new GlmmInputError(`--out ${dir}: cannot take the lock ${LOCK}; remove it if no glmm run is writing there`);
}

/**
 * `mkdir -p`, one level at a time: node's `mkdirSync(…, { recursive: true })` never returns for some
 * paths (e.g. under /proc, Node 20), so the missing levels are made one by one from the deepest that exists.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    try {
      if (!statSync(p).isDirectory()) throw Object.assign(new Error(`${p} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(p);
      const up = dirname(p);
      if (up === p) break;
      p = up;
    }
  }
  for (const m of missing.reverse()) mkdirSync(m);
}

/** Opens `dir` for a run's outputs (see the module comment); throws GlmmInputError in words. */
export function openOutDir(dir: string): OutDir {
  try {
    makeDirs(dir);
  } catch (e) {
    fail(dir, 'create the directory', e, 'choose a writable path');
  }
  const lock = takeLock(dir);
  let tmp: string;
  try {
    tmp = mkdtempSync(join(dir, TMP_PREFIX));
  } catch (e) {
    rmSync(lock, { force: true });
    fail(dir, 'write there', e, 'choose a writable directory');
  }
  let open = true;
  const names: string[] = [];
  const release = () => {
    if (!open) return;
    open = false;
    rmSync(tmp, { recursive: true, force: true });
    rmSync(lock, { force: true });
  };
  return {
    dir,
    path: tmp,
    write(file) {
      if (!open) throw new Error(`openOutDir: ${dir} is already committed or aborted`);
      try {
        writeFile(join(tmp, file.name), file.content);
      } catch (e) {
        fail(dir, `write ${file.name}`, e, 'free space or choose another directory');
      }
      if (!names.includes(file.name)) names.push(file.name);
    },
    commit() {
      if (!open) throw new Error(`openOutDir: ${dir} is already committed or aborted`);
      // a SIGINT/SIGTERM during the swap must not take its default action (ending the process between
      // removing the old files and moving the new ones in): a no-op listener holds it until the swap is done
      const hold = () => {};
      process.on('SIGINT', hold);
      process.on('SIGTERM', hold);
      try {
        const written = [...new Set([...names, ...readdirSync(tmp)])];
        writeFileSync(join(tmp, MANIFEST), [MANIFEST_HEAD, ...written].join('\n') + '\n');
        for (const old of previousOutputs(dir)) unlinkSync(join(dir, old));
        for (const n of [...written, MANIFEST]) renameSync(join(tmp, n), join(dir, n));
      } catch (e) {
        release();
        fail(dir, 'move the outputs into place', e, 'check the directory permissions');
      } finally {
        process.removeListener('SIGINT', hold);
        process.removeListener('SIGTERM', hold);
      }
      release();
    },
    abort: release,
  };
}
