/**
 * Draws in CmdStan's CSV layout (CmdStan guide, "Stan CSV file format"): one file per chain, `#` comment
 * lines anywhere (CmdStan's configuration, adaptation and timing blocks, also between rows), one header
 * row, one draw per row; sampler columns end in `__` (lp__, accept_stat__, stepsize__, treedepth__,
 * n_leapfrog__, divergent__, energy__). Files from CmdStan, R (`write.csv`, quoted headers) and ArviZ
 * read alike: an unnamed first column (R `write.csv` / pandas row names) and the bookkeeping columns
 * `chain`, `draw`, `iteration`, `.chain`, `.iteration`, `.draw` are dropped. Text in, text out: file
 * access is the caller's (this folder also runs in a browser).
 *
 * Random effects `r_<group>[<level>,<term>]` (DESIGN.md names) cannot appear in a CmdStan header; they
 * are written `r_<group>.<level index>.<term index>` (1-based) with a comment block
 *   `# glmm random effects: r_<group>.<level>.<term> = r_<group>[levels[level],terms[term]]`
 *   `# r_<group> levels: ["A","B",…]`
 *   `# r_<group> terms: ["Intercept",…]`
 * (JSON arrays, so any level text survives). The reader maps the names back when the block is present;
 * CmdStan's own `theta.1` style names stay as they are.
 */
import { GlmmInputError } from '../base/errors.js';

/** One parsed chain: column names (random effects mapped back), rows of numbers, comment lines. */
export interface CmdStanChain {
  readonly names: string[];
  /** row-major nDraws × names.length */
  readonly values: Float64Array;
  readonly nDraws: number;
  /** the comment lines, `#` included, in file order */
  readonly comments: string[];
  /** the `chain`/`.chain` column when the file has one (several chains in one file, e.g. a posterior draws_df) */
  readonly chainIds?: Float64Array;
  /**
   * The superchain of each row (a `.superchain` column, as `glmm fit --out` writes for many-chain runs),
   * or of the whole file (a `# superchain = K` comment line of a one-chain file); absent otherwise.
   */
  readonly superchainIds?: Float64Array;
  readonly superchain?: number;
}

const RE_BLOCK_HEADER = '# glmm random effects: r_<group>.<level>.<term> = r_<group>[levels[level],terms[term]]';
/** Columns that number draws rather than hold them (posterior's draws_df, ArviZ/pandas frames). */
const BOOKKEEPING = new Set(['chain', 'draw', 'iteration', '.chain', '.iteration', '.draw', '.superchain']);
const RE_SUPERCHAIN_LINE = /^#\s*superchain\s*=\s*(\d+)\s*$/;
const RE_MAP_LINE = /^#\s*(r_.+) (levels|terms): (\[.*\])\s*$/;

/** Splits one CSV line into cells, honouring double quotes (`""` inside quotes is a quote). */
function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cur = '';
  let inQ = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inQ) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else inQ = false;
      } else cur += ch;
    } else if (ch === '"') inQ = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

/** Parses one cell: decimal/exponent numbers, and CmdStan/R/NumPy spellings of NaN and ±Inf;
 * undefined if the cell is empty or not a number. */
function parseCell(cell: string): number | undefined {
  const s = cell.trim();
  if (s === '') return undefined;
  const v = Number(s);
  if (!Number.isNaN(v)) return v;
  switch (s.toLowerCase()) {
    case 'nan':
    case '-nan':
    case 'na':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
  }
  return undefined;
}

/**
 * Reads one chain. `source` names the file in error messages. Throws GlmmInputError (one line naming
 * the file, line and column) for a missing header, a row with the wrong number of cells, or a cell
 * that is not a number (NaN/nan/NA and ±inf/Inf are accepted).
 */
export function readCmdStanCsv(text: string, source = 'input'): CmdStanChain {
  const lines = text.split(/\r?\n/);
  const comments: string[] = [];
  let header: string[] | null = null;
  const rows: number[] = [];
  let nDraws = 0;
  let keep: boolean[] = [];
  let chainCol = -1;
  let superCol = -1;
  const chainIds: number[] = [];
  const superIds: number[] = [];
  for (let ln = 0; ln < lines.length; ln++) {
    const raw = lines[ln];
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      comments.push(line);
      continue;
    }
    const cells = splitCsvLine(line);
    if (header === null) {
      header = cells.map((c) => c.trim());
      keep = header.map((h, j) => !(j === 0 && h === '') && !BOOKKEEPING.has(h));
      chainCol = header.findIndex((h) => h === 'chain' || h === '.chain');
      superCol = header.indexOf('.superchain');
      if (header.some((h, j) => keep[j] && h === '')) {
        throw new GlmmInputError(`${source}: line ${ln + 1}: the header has an empty column name; give every column a name`);
      }
      continue;
    }
    if (cells.length !== header.length) {
      throw new GlmmInputError(
        `${source}: line ${ln + 1} has ${cells.length} cells but the header has ${header.length} columns; fix or remove that row`,
      );
    }
    if (chainCol >= 0) {
      const id = parseCell(cells[chainCol]);
      if (id === undefined || !Number.isFinite(id)) {
        throw new GlmmInputError(`${source}: line ${ln + 1}, column ${header[chainCol]}: "${cells[chainCol].trim()}" is not a chain number`);
      }
      chainIds.push(id);
    }
    if (superCol >= 0) {
      const id = parseCell(cells[superCol]);
      if (id === undefined || !Number.isInteger(id)) {
        throw new GlmmInputError(`${source}: line ${ln + 1}, column .superchain: "${cells[superCol].trim()}" is not a superchain number`);
      }
      superIds.push(id);
    }
    for (let j = 0; j < cells.length; j++) {
      if (!keep[j]) continue;
      const v = parseCell(cells[j]);
      if (v === undefined) {
        throw new GlmmInputError(
          `${source}: line ${ln + 1}, column ${header[j]}: "${cells[j].trim()}" is not a number; every draw must be numeric`,
        );
      }
      rows.push(v);
    }
    nDraws++;
  }
  if (header === null) throw new GlmmInputError(`${source}: no header row found; expected a CmdStan CSV with a header line`);
  const names = mapRandomEffectNames(header.filter((_, j) => keep[j]), comments);
  const superLine = comments.map((c) => RE_SUPERCHAIN_LINE.exec(c)).find((m) => m !== null);
  return {
    names, values: Float64Array.from(rows), nDraws, comments,
    ...(chainCol >= 0 ? { chainIds: Float64Array.from(chainIds) } : {}),
    ...(superCol >= 0 ? { superchainIds: Float64Array.from(superIds) } : {}),
    ...(superLine ? { superchain: Number(superLine[1]) } : {}),
  };
}

/** Maps `r_g.i.j` back to `r_g[level,term]` using the `# r_g levels/terms:` comment block, if any. */
function mapRandomEffectNames(header: string[], comments: string[]): string[] {
  const maps = new Map<string, { levels?: string[]; terms?: string[] }>();
  for (const c of comments) {
    const m = RE_MAP_LINE.exec(c);
    if (!m) continue;
    let arr: unknown;
    try {
      arr = JSON.parse(m[3]);
    } catch {
      continue;
    }
    if (!Array.isArray(arr)) continue;
    const entry = maps.get(m[1]) ?? {};
    entry[m[2] as 'levels' | 'terms'] = arr.map(String);
    maps.set(m[1], entry);
  }
  if (maps.size === 0) return header;
  return header.map((name) => {
    const m = /^(r_.+)\.(\d+)\.(\d+)$/.exec(name);
    if (!m) return name;
    const e = maps.get(m[1]);
    const level = e?.levels?.[Number(m[2]) - 1];
    const term = e?.terms?.[Number(m[3]) - 1];
    return level !== undefined && term !== undefined ? `${m[1]}[${level},${term}]` : name;
  });
}

/** Shortest round-trip text of a double, CmdStan's spellings for NaN and ±Inf, `-0` kept. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0 && Object.is(v, -0)) return '-0';
  return String(v);
}

function quoteIfNeeded(name: string): string {
  return /[",\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/**
 * CSV header names for `names`: random effects `r_g[level,term]` become `r_g.i.j` (indices in order of
 * first appearance; the split is at the first comma), and the comment lines that map them back.
 */
export function csvHeaderNames(names: readonly string[]): { header: string[]; comments: string[] } {
  const groups = new Map<string, { levels: string[]; terms: string[] }>();
  const header = names.map((name) => {
    const m = /^(r_[^[\]]+)\[([^,]*),(.*)\]$/.exec(name);
    if (!m) return name;
    let g = groups.get(m[1]);
    if (!g) groups.set(m[1], (g = { levels: [], terms: [] }));
    let li = g.levels.indexOf(m[2]);
    if (li < 0) li = g.levels.push(m[2]) - 1;
    let ti = g.terms.indexOf(m[3]);
    if (ti < 0) ti = g.terms.push(m[3]) - 1;
    return `${m[1]}.${li + 1}.${ti + 1}`;
  });
  const comments: string[] = [];
  if (groups.size > 0) {
    comments.push(RE_BLOCK_HEADER);
    for (const [g, { levels, terms }] of groups) {
      comments.push(`# ${g} levels: ${JSON.stringify(levels)}`);
      comments.push(`# ${g} terms: ${JSON.stringify(terms)}`);
    }
  }
  return { header, comments };
}

/**
 * Writes one chain in CmdStan's layout: `comments` (each line prefixed with `# ` unless it starts with `#`),
 * the random-effect index block, the header, then one row per draw with shortest round-trip numbers.
 * `values` is row-major nDraws × names.length. Sampler columns (`lp__`, …) are written where they are
 * in `names`; CmdStan puts them first.
 */
export function writeCmdStanCsv(names: readonly string[], values: ArrayLike<number>, comments: readonly string[] = []): string {
  const P = names.length;
  if (P === 0 || values.length % P !== 0) {
    throw new RangeError(`writeCmdStanCsv: ${values.length} values do not fill rows of ${P} columns`);
  }
  const { header, comments: map } = csvHeaderNames(names);
  const parts: string[] = [];
  for (const c of comments) for (const l of c.split(/\r?\n/)) parts.push(l.startsWith('#') ? l : `# ${l}`);
  parts.push(...map);
  parts.push(header.map(quoteIfNeeded).join(','));
  const row = new Array<string>(P);
  for (let r = 0; r < values.length / P; r++) {
    for (let j = 0; j < P; j++) row[j] = formatNumber(values[r * P + j]);
    parts.push(row.join(','));
  }
  return parts.join('\n') + '\n';
}
