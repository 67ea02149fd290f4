/**
 * report.html in a real browser: Debian's headless Chromium renders the file offline; the screenshot
 * must not be blank and must contain the plots' colours, and the rendered DOM must give every plot
 * section an SVG with a nonzero bounding box and all its panels. Chromium is required (CI installs it
 * in .ci/run): when it is missing this test FAILS with a message saying how to install it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import { FIXED, PLOT_SECTIONS, fixtureReport } from './fixtures.js';
import { decodePng } from './png.js';

const run = promisify(execFile);

/** Chromium's path: $CHROMIUM, else Debian's /usr/bin/chromium, else the first on PATH. */
function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser',
    ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'chromium'))];
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

/** Flags for an isolated, offline, headless run. */
function flags(userDataDir: string): string[] {
  return ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', `--user-data-dir=${userDataDir}`];
}

/** Appended to a copy of the report: writes each plot section's SVG box and panel count into the DOM. */
const LAYOUT_PROBE = `<script>
(function () {
  var out = {};
  document.querySelectorAll('section').forEach(function (s) {
    var svg = s.querySelector('svg');
    if (!svg) return;
    var r = svg.getBoundingClientRect();
    out[s.id] = { width: r.width, height: r.height, panels: svg.querySelectorAll('g.panel').length,
      paths: svg.querySelectorAll('path').length };
  });
  var pre = document.createElement('pre');
  pre.id = 'layout-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>`;

test('PNG decoder round-trips all five filter types', () => {
  // 3×5 RGB image, one row per filter type 0..4, encoded here by the spec's forward filters.
  const w = 3;
  const px = Array.from({ length: 5 }, (_, y) => Array.from({ length: w * 3 }, (_, i) => (y * 53 + i * 29) % 256));
  const rows: number[] = [];
  px.forEach((row, y) => {
    rows.push(y);
    row.forEach((v, i) => {
      const a = i >= 3 ? row[i - 3] : 0;
      const b = y > 0 ? px[y - 1][i] : 0;
      const c = y > 0 && i >= 3 ? px[y - 1][i - 3] : 0;
      const p = a + b - c;
      const pred = [0, a, b, (a + b) >> 1,
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][y];
      rows.push((v - pred + 256) % 256);
    });
  });
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]); // CRC not checked
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(5, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
  const img = decodePng(png);
  assert.equal(img.width, 3);
  assert.equal(img.height, 5);
  px.forEach((row, y) => row.forEach((v, i) => assert.equal(img.rgba[4 * (y * w + Math.floor(i / 3)) + (i % 3)], v, `row ${y} byte ${i}`)));
});

test('report.html renders in headless Chromium: not blank, every plot laid out', { timeout: 90_000 }, async () => {
  const chromium = findChromium();
  if (!chromium) {
    assert.fail('Chromium not found (looked at $CHROMIUM, /usr/bin/chromium, PATH): install it with `apt-get install -y chromium` (CI: .ci/run does this).');
  }
  const dir = mkdtempSync(join(tmpdir(), 'glmm-report-'));
  try {
    const html = fixtureReport(200);
    const probePath = join(dir, 'probe.html');
    writeFileSync(probePath, html.replace('</body>', `${LAYOUT_PROBE}\n</body>`));
    const png = join(dir, 'shot.png');
    // One browser run does both: the screenshot (top 3000 px; the probe's <pre> is appended below the
    // report) and the DOM after the load event.
    const { stdout } = await run(chromium, [...flags(join(dir, 'profile')), `--screenshot=${png}`, '--dump-dom',
      '--window-size=1200,3000', pathToFileURL(probePath).href], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    assert.ok(existsSync(png), 'Chromium wrote no screenshot');
    const img = decodePng(readFileSync(png));
    assert.equal(img.width, 1200);
    assert.equal(img.height, 3000);
    let nonWhite = 0;
    let coloured = 0;
    for (let k = 0; k < img.width * img.height; k++) {
      const r = img.rgba[4 * k];
      const g = img.rgba[4 * k + 1];
      const b = img.rgba[4 * k + 2];
      if (r < 245 || g < 245 || b < 245) nonWhite++;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
    }
    const n = img.width * img.height;
    // Measured on this fixture (Chromium 156, Debian 12): 15.6% non-white, 43,175 coloured pixels; the
    // header and tables alone ink ~2.5% of a 1200×3000 page and have almost no coloured pixels (the
    // first 1400 px, mostly text: 5.1%, 4,127). The bounds sit halfway: blank or plot-less pages fail.
    assert.ok(nonWhite / n > 0.06, `screenshot nearly blank: ${(100 * nonWhite / n).toFixed(2)}% non-white pixels`);
    assert.ok(coloured > 20000, `no plot colours on the screenshot (${coloured} coloured pixels)`);

    const m = /<pre id="layout-probe">([^<]*)<\/pre>/.exec(stdout);
    assert.ok(m, 'layout probe missing from the dumped DOM');
    const layout = JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, { width: number; height: number; panels: number; paths: number }>;
    const expectedPanels: Record<string, number> = { trace: FIXED.length, rank: FIXED.length, density: FIXED.length, caterpillar: 3, ppc: 2 };
    for (const id of PLOT_SECTIONS) {
      const s = layout[id];
      assert.ok(s, `section ${id} has no rendered svg`);
      assert.ok(s.width > 600 && s.height > 150, `${id}: svg box ${s.width}×${s.height}`);
      assert.equal(s.panels, expectedPanels[id], `${id} panels`);
      assert.ok(s.paths > 0, `${id} paths`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
