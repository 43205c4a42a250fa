// Dossier's user flows, clicked through in Debian's Chromium by playwright-core:
// filter the incident list, open an incident, follow a figure to its
// highlighted passage, sign in, accept a claim in the review queue and see the
// change, upload a file and land on its reader. Each step saves a screenshot.
//
//   node flows.mjs BASE_URL SCREENSHOT_DIR ACCOUNT PASSWORD REPORT_FILE
//
// Prints one line per step; exits non-zero at the first step that fails.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import path from 'node:path';

const [base, shots, account, password, report] = process.argv.slice(2);
if (!report) {
  console.error('usage: node flows.mjs BASE_URL SCREENSHOT_DIR ACCOUNT PASSWORD REPORT_FILE');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
// The browser's own request for /favicon.ico (there is none) is not the page's error.
page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && errors.push(`${m.text()} (${m.location().url})`));
const shot = (name) => page.screenshot({ path: path.join(shots, name), fullPage: true });
const step = (s) => console.log(`ok: ${s}`);

try {
  // 1. Filter the incident list by typing into the form and pressing its button.
  await page.goto(`${base}/incidents`);
  const before = await page.locator('table tbody tr').count();
  assert.ok(before >= 2, `the demo lists incidents (${before})`);
  await page.getByLabel('Text').fill('Ashraf');
  await page.locator('select[name=grade]').selectOption('contested');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/q=Ashraf.*grade=contested/);
  const rows = page.locator('table tbody tr');
  const after = await rows.count();
  assert.ok(after >= 1 && after < before, `filtering narrows the list (${before} → ${after})`);
  for (let i = 0; i < after; i++) {
    assert.match(await rows.nth(i).innerText(), /Ashraf/i);
    assert.match(await rows.nth(i).innerText(), /contested/i);
  }
  await shot('flow-1-filtered.png');
  // Sorting by a column keeps the filters.
  await page.getByRole('link', { name: /^Killed/ }).click();
  await page.waitForURL(/sort=killed/);
  assert.match(page.url(), /q=Ashraf/, 'the filters stay when sorting');
  step(`filtered ${before} incidents to ${after}, sorted by toll`);

  // 2. Open the first incident from the list.
  await rows.first().locator('a').first().click();
  await page.waitForURL(/\/incidents\/inc-/);
  const figure = page.locator('a[href*="#claim-"]').first();
  await figure.waitFor();
  await shot('flow-2-incident.png');
  step(`opened ${page.url()}`);

  // 3. Follow a figure to its highlighted passage in the source reader.
  const href = await figure.getAttribute('href');
  const claim = href.split('#')[1];
  await figure.click();
  await page.waitForURL(/\/sources\/src-/);
  const target = page.locator(`#${claim}`);
  assert.equal(await target.evaluate((e) => e.tagName), 'MARK', 'the figure is a highlighted passage');
  assert.ok(await target.evaluate((e) => e.matches(':target')), 'the passage is the page target');
  const box = await target.boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 900, `the passage is scrolled into view (y=${box && box.y})`);
  await shot('flow-3-passage.png');
  step(`followed ${claim} to its passage`);

  // 4. Sign in.
  await page.goto(`${base}/login`);
  await page.getByLabel('Account name').fill(account);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  await page.goto(`${base}/login`);
  assert.match(await page.locator('main').innerText(), new RegExp(`signed in as ${account}`, 'i'));
  step(`signed in as ${account}`);

  // 5. Accept the first claim of the review queue and see it leave the queue.
  await page.goto(`${base}/review`);
  const firstRow = page.locator('tr[id^="claim-"]').first();
  const rowId = await firstRow.getAttribute('id');
  await firstRow.getByRole('button', { name: 'Accept' }).click();
  await page.waitForURL(/\/review\?done=/);
  assert.equal(await page.locator(`#${rowId}`).count(), 0, 'the accepted claim left the queue');
  assert.match(await page.locator('[role=status]').innerText(), /accept/i);
  await shot('flow-5-reviewed.png');
  const status = await (await page.request.get(`${base}/api/v1/claims/${rowId.replace('claim-', '')}`)).json();
  assert.equal(status.status, 'accepted', 'the API shows the claim accepted');
  step(`accepted ${rowId}`);

  // 6. Upload a file from the browser and land on its source reader.
  await page.goto(`${base}/upload`);
  const form = page.locator('#upload-form');
  assert.equal(await form.getAttribute('data-enhanced'), 'true', 'the progress script ran (CSP allows our own script)');
  await page.getByLabel('Report file').setInputFiles(report);
  await page.getByRole('button', { name: 'Upload and extract' }).click();
  await page.waitForURL(/\/sources\/src-/);
  assert.ok((await page.locator('mark').count()) >= 1, 'the uploaded report has highlighted claims');
  assert.equal(errors.length, 0, `no script errors: ${errors.join('; ')}`);
  await shot('flow-6-uploaded.png');
  step(`uploaded ${path.basename(report)} → ${page.url()}`);
} finally {
  await browser.close();
}
