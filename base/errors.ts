/**
 * An error in what the user gave (formula, data, options). Its message is one line that names the
 * column, row or term and says what to do; the CLI prints it as `error: <message>` and exits 1.
 */
export class GlmmInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlmmInputError';
  }
}

const FS_ERROR_WORDS: Record<string, string> = {
  ENOENT: 'not found',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EBUSY: 'the file is busy',
};

/** A file-system error in words ("permission denied"), not its code ("EACCES"). */
export function fsErrorWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code && FS_ERROR_WORDS[code]) return FS_ERROR_WORDS[code];
  const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return msg.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
}
