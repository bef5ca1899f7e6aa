// Opens every notebook in JupyterLab in headless Chromium and runs it as a reader would, checking
// what the page shows; then interrupts lesson 4's training cell and runs one more cell.
// Started by `course.py browser-test`, which serves JupyterLab and passes, in the environment:
//   LAB_URL, LAB_TOKEN, NOTEBOOKS (names, comma-separated), NOTEBOOK_DIR (where Lab's copies are),
//   OUT_DIR (screenshots and report), PLAYWRIGHT_CORE (the package's folder), CHROMIUM, CELL_BUDGET_S.
// Prints one line per check and exits 1 when any failed.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const { chromium } = createRequire(import.meta.url)(process.env.PLAYWRIGHT_CORE);
const env = process.env;
const KERNEL = 'Java (Generative RNN course)';
const budgetMs = Number(env.CELL_BUDGET_S || 600) * 1000;
const INTERRUPT_BUDGET_MS = 5000;
const report = [];
let failures = 0;

function check(notebook, what, ok, detail) {
  failures += ok ? 0 : 1;
  const line = `${ok ? 'ok  ' : 'FAIL'} ${notebook}: ${what}${detail ? ` (${detail})` : ''}`;
  report.push(line);
  console.log(line);
}

async function open(page, notebook) {
  const workspace = path.basename(notebook, '.ipynb'); // a workspace of its own: no tab of another notebook
  await page.goto(`${env.LAB_URL}/lab/workspaces/${workspace}/tree/${encodeURI(notebook)}?reset&token=${env.LAB_TOKEN}`);
  await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60_000 });
  await page.keyboard.press('Control+b'); // hides the file browser: the notebook gets the width
  await waitForIdle(page);
  return (await page.locator('.jp-NotebookPanel-toolbar .jp-Toolbar-kernelName').innerText()).trim();
}

/** Waits until the status bar says the kernel is idle. */
function waitForIdle(page) {
  return page.waitForFunction(() => /\| Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText || ''),
    null, { timeout: 120_000 });
}

async function runMenu(page, command) {
  await page.getByRole('menuitem', { name: 'Run', exact: true }).click();
  await page.locator(`li[data-command="${command}"]`).click();
}

/** The prompts of the code cells and, per cell, whether it runs and what its outputs say. */
function cellStates(page) {
  return page.locator('.jp-Notebook .jp-CodeCell').evaluateAll(cells => cells.map(cell => ({
    prompt: cell.querySelector('.jp-InputArea-prompt')?.innerText.trim() || '',
    firstLine: (cell.querySelector('.jp-InputArea-editor')?.innerText || '').split('\n')[0],
    text: [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText).join('\n'),
    stderr: [...cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(o => o.innerText.split('\n')[0]),
  })));
}

/** Whether every code cell has run. */
function allRan(cells) {
  return cells.every(c => /\[\d+\]/.test(c.prompt));
}

/** Waits until every code cell has run; returns whether output appeared while a cell was running. */
async function waitForAllCells(page, notebook) {
  const start = Date.now();
  let liveOutput = false;
  while (Date.now() - start < budgetMs) {
    const cells = await cellStates(page);
    liveOutput ||= cells.some(c => c.prompt.includes('*') && c.text.trim().length > 0);
    const stopped = cells.some(c => c.stderr.length > 0) && !cells.some(c => c.prompt.includes('*'));
    if (stopped || allRan(cells)) {
      return { cells, liveOutput, seconds: (Date.now() - start) / 1000 };
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`${notebook}: the cells did not finish within ${budgetMs / 1000} s (${await stuck(page).catch(e => e.message)})`);
}

/** Where a run stands: how many cells ran, the first that did not, the status bar and any dialog. */
async function stuck(page) {
  const cells = await cellStates(page);
  const next = cells.findIndex(c => !/\[\d+\]/.test(c.prompt));
  const first = next < 0 ? '' : `; code cell ${next + 1} shows ${cells[next].prompt || 'no prompt'}: ${cells[next].firstLine}`;
  const status = await page.locator('#jp-main-statusbar').innerText().catch(() => '');
  const dialog = await page.locator('.jp-Dialog').allInnerTexts();
  return `${cells.filter(c => /\[\d+\]/.test(c.prompt)).length} of ${cells.length} code cells ran${first}; status bar: `
    + `${status.replace(/\s+/g, ' ').trim()}${dialog.length ? `; dialog: ${dialog.join(' ').replace(/\s+/g, ' ')}` : ''}`;
}

/** Asks the server's kernels to print their threads (SIGQUIT: a JVM writes them to its output, the server's log). */
async function dumpKernelThreads() {
  const ids = (await (await fetch(`${env.LAB_URL}/api/kernels`, { headers: { Authorization: `token ${env.LAB_TOKEN}` } })).json())
    .map(k => `kernel-${k.id}`);
  for (const pid of fs.readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    const read = file => { try { return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8'); } catch { return ''; } };
    if (read('comm').trim() === 'java' && ids.some(id => read('cmdline').includes(id))) { // a JVM, not a launcher
      process.kill(Number(pid), 'SIGQUIT');
    }
  }
  await new Promise(resolve => setTimeout(resolve, 2000));
}

/** For each image under the selector: is it loaded and on the page with a size? */
async function images(page, selector) {
  return page.locator(selector).evaluateAll(imgs => imgs.map(img => {
    const box = img.getBoundingClientRect();
    return img.complete && img.naturalWidth > 0 && box.width > 0 && box.height > 0;
  }));
}

/** Saves the notebook (Ctrl+S) and returns it as written to disk, once it holds the run's outputs. */
async function save(page, notebook) {
  const file = path.join(env.NOTEBOOK_DIR, notebook);
  const before = fs.statSync(file).mtimeMs;
  await page.locator('.jp-Notebook').first().click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+s');
  const start = Date.now();
  while (fs.statSync(file).mtimeMs === before && Date.now() - start < 30_000) {
    await page.waitForTimeout(200);
  }
  await page.waitForTimeout(500);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

async function screenshot(page, notebook, suffix = '') {
  const scroller = page.locator('.jp-NotebookPanel-notebook .jp-WindowedPanel-outer').first();
  const hidden = await scroller.evaluate(e => { e.scrollTop = 0; return e.scrollHeight - e.clientHeight; });
  await page.setViewportSize({ width: 1280, height: Math.min(900 + hidden, 30_000) });
  await page.waitForTimeout(300);
  const file = path.join(env.OUT_DIR, `${path.basename(notebook, '.ipynb')}${suffix}.png`);
  await page.screenshot({ path: file });
  await page.setViewportSize({ width: 1280, height: 900 });
  return file;
}

/** Lesson 4's progress bars: each epoch's bar is one line in its final state (100%). */
function progressBars(cells) {
  const bars = cells.flatMap(c => c.text.split('\n')).filter(l => /^epoch \d+\/\d+ +\d+% \[/.test(l));
  const finals = new Set(bars.filter(l => l.includes(' 100% [')).map(l => l.split(' ')[1]));
  const epochs = new Set(bars.map(l => l.split(' ')[1]));
  return { lines: bars.length, epochs: epochs.size, finished: finals.size };
}

/** After Run All the solutions are folded, their code out of sight; a click on a title unfolds one. */
async function checkSolutions(page, notebook, saved) {
  const solutions = saved.cells.filter(c => c.cell_type === 'markdown' && [].concat(c.source).join('').startsWith('<details>'));
  if (solutions.length === 0) {
    return;
  }
  const folds = page.locator('.jp-MarkdownOutput details');
  const states = await folds.evaluateAll(ds => ds.map(d => ({ open: d.open, inSight: d.querySelector('pre')?.checkVisibility() === true })));
  check(notebook, `its ${solutions.length} solutions are folded after Run All, their code out of sight`,
    states.length === solutions.length && states.every(s => !s.open && !s.inSight),
    `${states.length} folds in the page, ${states.filter(s => s.open).length} open, code in sight in ${states.filter(s => s.inSight).length}`);
  await folds.last().locator('summary').click();
  const shown = await folds.last().evaluate(d => d.open && d.querySelector('pre')?.checkVisibility() === true);
  check(notebook, "a click on a solution's title shows its code", shown);
}

async function runWholeNotebook(page, notebook) {
  const kernel = await open(page, notebook);
  check(notebook, 'the course kernel is picked', kernel === KERNEL, kernel);
  await runMenu(page, 'runmenu:run-all');
  const { cells, liveOutput, seconds } = await waitForAllCells(page, notebook);
  const errors = cells.flatMap(c => c.stderr);
  check(notebook, `all ${cells.length} code cells ran in ${seconds.toFixed(0)} s`, allRan(cells));
  check(notebook, 'no cell shows an error', errors.length === 0, errors.slice(0, 2).join(' | '));
  const saved = await save(page, notebook);
  const pngs = saved.cells.flatMap(c => c.outputs || []).filter(o => o.data && o.data['image/png']).length;
  const shown = await images(page, '.jp-OutputArea-output img');
  check(notebook, `each of its ${pngs} charts is a visible image`, shown.length === pngs && shown.every(Boolean),
    `${shown.filter(Boolean).length} visible images in the page`);
  const markdown = saved.cells.filter(c => c.cell_type === 'markdown').map(c => [].concat(c.source).join('')).join('\n');
  const figures = (markdown.match(/!\[[^\]]*\]\(figures\/[^)]+\.svg\)/g) || []).length;
  const drawn = await images(page, '.jp-MarkdownOutput img');
  check(notebook, `each of its ${figures} diagrams is a visible image`, drawn.length === figures && drawn.every(Boolean),
    `${drawn.filter(Boolean).length} visible diagrams in the page`);
  await checkSolutions(page, notebook, saved);
  if (notebook.includes('04-')) {
    check(notebook, 'output appears while a cell is still running', liveOutput);
    const bars = progressBars(cells);
    check(notebook, `each of the ${bars.epochs} epochs' progress bars ends as one line at 100%`,
      bars.epochs > 0 && bars.finished === bars.epochs && bars.lines <= 3 * bars.epochs, `${bars.lines} bar lines`);
  }
  check(notebook, 'screenshot', true, await screenshot(page, notebook));
}

/** Runs lesson 4 up to its training cell, interrupts the training, then runs one more cell. */
async function interruptTraining(page, notebook) {
  await page.getByRole('menuitem', { name: 'Kernel', exact: true }).click();
  await page.locator('li[data-command="kernelmenu:restart-and-clear"]').click();
  await page.locator('.jp-Dialog button.jp-mod-accept').click();
  await waitForIdle(page);
  await runMenu(page, 'runmenu:run-all');
  const start = Date.now();
  let training = -1;
  while (training < 0 && Date.now() - start < budgetMs) {
    const cells = await cellStates(page);
    training = cells.findIndex(c => c.prompt.includes('*') && /^epoch \d+\/\d+/m.test(c.text));
    await page.waitForTimeout(100);
  }
  if (training < 0) {
    check(notebook, 'interrupt: the training cell was seen running', false);
    return;
  }
  // At once: at smoke scale the whole training takes about a second, so a later ■ can miss it.
  const interrupted = Date.now();
  await page.locator('.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]').click();
  let cell;
  do {
    await page.waitForTimeout(100);
    cell = (await cellStates(page))[training];
  } while (!/\[\d+\]/.test(cell.prompt) && Date.now() - interrupted < 30_000);
  const seconds = (Date.now() - interrupted) / 1000;
  check(notebook, `interrupt: the training cell returned ${seconds.toFixed(1)} s after ■`,
    /\[\d+\]/.test(cell.prompt) && seconds * 1000 <= INTERRUPT_BUDGET_MS + 1000);
  check(notebook, 'interrupt: the cell says where training stopped', /Training was interrupted (in|at the end of) epoch \d+,? after step \d+/.test(cell.text),
    cell.text.split('\n').find(l => l.includes('interrupted')));
  const later = (await cellStates(page)).slice(training + 1);
  check(notebook, 'interrupt: the cells queued behind it do not run', later.every(c => !/\[\d+\]/.test(c.prompt) && !c.text),
    later.map(c => c.prompt).join(' '));
  await page.locator('.jp-Notebook .jp-CodeCell').last().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await page.keyboard.press('Enter'); // edit mode: now the keys type into the new cell
  await page.keyboard.type('System.out.println("after the interrupt, " + titles.size() + " titles are still here");');
  await page.keyboard.press('Shift+Enter');
  await page.waitForFunction(() => /after the interrupt, \d+ titles/.test(document.querySelector('.jp-Notebook').innerText),
    null, { timeout: 30_000 }).catch(() => null);
  const after = (await cellStates(page)).map(c => c.text).find(t => t.includes('after the interrupt')) || '';
  check(notebook, 'interrupt: a new cell runs in the same kernel with earlier variables', /titles are still here/.test(after), after.trim());
  check(notebook, 'interrupt screenshot', true, await screenshot(page, notebook, '-interrupted'));
}

/** Shuts down the server's kernels (one per notebook), as closing the notebook would not. */
async function shutDownKernels() {
  const api = `${env.LAB_URL}/api/kernels`;
  const headers = { Authorization: `token ${env.LAB_TOKEN}` };
  const kernels = await (await fetch(api, { headers })).json();
  await Promise.all(kernels.map(k => fetch(`${api}/${k.id}`, { method: 'DELETE', headers })));
}

fs.mkdirSync(env.OUT_DIR, { recursive: true });
const browser = await chromium.launch({
  executablePath: env.CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  for (const notebook of env.NOTEBOOKS.split(',')) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await runWholeNotebook(page, notebook);
      if (notebook.includes('04-')) {
        await interruptTraining(page, notebook);
      }
    } catch (error) {
      check(notebook, 'the notebook could be run in the browser', false, error.message.split('\n')[0]);
      await dumpKernelThreads().catch(e => console.log(`no thread dump: ${e.message}`));
      await page.screenshot({ path: path.join(env.OUT_DIR, `${path.basename(notebook, '.ipynb')}-failed.png`) });
    }
    await page.close();
    await shutDownKernels();
  }
} finally {
  await browser.close();
}
const summary = `${report.length - failures} passed, ${failures} failed`;
fs.writeFileSync(path.join(env.OUT_DIR, 'report.txt'), report.concat(['', `browser: ${summary}`]).join('\n') + '\n');
console.log(`browser: ${summary}`);
process.exit(failures ? 1 : 0);
