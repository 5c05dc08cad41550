// The manage-booking page in headless Chromium (Debian's package), driven by
// playwright-core: load it on a phone-sized screen, press "Remove my phone number",
// and see the number gone — on the page and through the JSON API. BASE_URL is a
// running local stack (infra/scripts/browser-test.sh starts one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
// make test writes under target/; SCREENSHOT=docs/manage-booking-page.png refreshes the committed one.
const SCREENSHOT = process.env.SCREENSHOT ?? 'target/manage-booking-page.png';

async function call(method, path, { token, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(BASE + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, body: json };
}

async function ok(status, promise) {
  const res = await promise;
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

// A booking with a phone, made the way the README's tour makes one.
async function booking() {
  const sub = `browser-${crypto.randomUUID()}`;
  const { token } = await ok(200, call('POST', '/_dev/token', { body: { sub, email: `${sub}@example.org` } }));
  const ws = await ok(201, call('POST', '/workspaces', { token, body: { name: 'Browser Lab' } }));
  await ok(200, call('PUT', `/workspaces/${ws.id}/settings/sms`, { token, body: { enabled: true } }));
  const study = await ok(201, call('POST', `/workspaces/${ws.id}/studies`, {
    token, body: { name: 'Sleep and memory', kind: 'interview', recruitment: 'direct' },
  }));
  const suffix = String(Math.floor(Math.random() * 100)).padStart(2, '0');
  const phone = `+141555501${suffix}`;
  const startsAt = new Date(Date.now() + 7 * 86400e3);
  startsAt.setUTCHours(15, 0, 0, 0);
  const booked = await ok(201, call('POST', `/public/studies/${study.share_token}/bookings`, {
    body: {
      name: 'Ann Example', email: `${sub}@example.org`, starts_at: startsAt.toISOString().replace('.000', ''),
      time_zone: 'America/Los_Angeles', phone, sms_consent: true,
    },
  }));
  return { ...booked, phone, startsAt };
}

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

test('a participant removes their phone number from the manage page', async () => {
  const b = await booking();
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const path = new URL(b.manage_url).pathname;
  await page.goto(BASE + path);

  const when = await page.locator('.when').innerText();
  assert.match(when, /(AM|PM) P[SD]T/, `the time in the participant's zone: ${when}`);
  const last4 = b.phone.slice(-4);
  assert.ok((await page.content()).includes(last4), 'shows the number by its last four digits');
  assert.ok(!(await page.content()).includes(b.phone), 'never the whole number');
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  await page.getByRole('button', { name: 'Remove my phone number' }).click();
  await page.waitForURL(/removed=1/);
  const after = await page.content();
  assert.ok(after.includes('Your phone number was removed'), after);
  assert.ok(!after.includes(last4), 'the number is gone from the page');
  assert.equal(await page.getByRole('button', { name: 'Remove my phone number' }).count(), 0);

  const api = await ok(200, call('GET', `/public/bookings/${b.manage_token}`));
  assert.ok(!JSON.stringify(api).includes(last4), `the API no longer has the number: ${JSON.stringify(api)}`);
  await page.close();
});

test('a form post without the CSRF cookie changes nothing', async () => {
  const b = await booking();
  const path = new URL(b.manage_url).pathname;
  const res = await fetch(`${BASE}${path}/remove-phone`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'csrf=forged',
    redirect: 'manual',
  });
  assert.ok(res.status >= 400 && res.status < 500, `refused: ${res.status}`);
  const api = await ok(200, call('GET', `/public/bookings/${b.manage_token}`));
  assert.ok(JSON.stringify(api).includes(b.phone.slice(-4)), `the number stays: ${JSON.stringify(api)}`);
});
