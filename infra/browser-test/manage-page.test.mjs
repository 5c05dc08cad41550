// The manage-booking page in headless Chromium (Debian's package), driven by
// playwright-core: load it on a phone-sized screen, press "Remove my phone number",
// and see the number gone — on the page and through the JSON API. BASE_URL is a
// running local stack (infra/scripts/browser-test.sh starts one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, call, launchChromium, ok } from './helpers.mjs';

// make test writes under target/; SCREENSHOT=docs/manage-booking-page.png refreshes the committed one.
const SCREENSHOT = process.env.SCREENSHOT ?? 'target/manage-booking-page.png';
const ZONE = 'America/Los_Angeles';

// +1 415 555 01xx, a different xx for every booking of this run (the 555-01xx block is
// reserved for fiction), starting at a random place so reruns use other numbers.
const suffixes = Array.from({ length: 100 }, (_, i) => i).sort(() => Math.random() - 0.5);
const nextPhone = () => `+141555501${String(suffixes.pop()).padStart(2, '0')}`;

// A booking with a phone and SMS consent, made the way the README's tour makes one.
async function booking() {
  const sub = `browser-${crypto.randomUUID()}`;
  const { token } = await ok(200, call('POST', '/_dev/token', { body: { sub, email: `${sub}@example.org` } }));
  const ws = await ok(201, call('POST', '/workspaces', {
    token, body: { name: 'Browser Lab' }, headers: { 'idempotency-key': sub },
  }));
  await ok(200, call('PUT', `/workspaces/${ws.id}/settings/sms`, { token, body: { enabled: true } }));
  const study = await ok(201, call('POST', `/workspaces/${ws.id}/studies`, {
    token, body: { name: 'Sleep and memory', kind: 'interview', recruitment: 'direct' },
  }));
  const { share_token: share } = await ok(200, call('GET', `/studies/${study.id}`, { token }));
  const pub = await ok(200, call('GET', `/public/studies/${share}`));
  assert.equal(pub.sms.required, true, `SMS on + reminders on by default: ${JSON.stringify(pub)}`);

  const phone = nextPhone();
  const startsAt = new Date(Date.now() + 7 * 86400e3);
  startsAt.setUTCHours(15, 0, 0, 0);
  const booked = await ok(201, call('POST', `/public/studies/${share}/bookings`, {
    body: {
      name: 'Ann Example', email: `${sub}@example.org`, starts_at: startsAt.toISOString().replace('.000', ''),
      time_zone: ZONE, phone, sms_consent: true,
    },
  }));
  assert.ok(booked.manage_token && booked.manage_url, JSON.stringify(booked));
  const view = await ok(200, call('GET', `/public/bookings/${booked.manage_token}`));
  assert.equal(view.phone_last4, phone.slice(-4), JSON.stringify(view));
  // The manage URL is built on the deployment's public base URL; the page is the same path here.
  return { ...booked, path: new URL(booked.manage_url).pathname, phone, startsAt };
}

// "Wednesday, December 2, 2026 at 7:00 AM PST", worked out here from the instant and the zone.
function expectedWhen(instant) {
  const part = (opts) => new Intl.DateTimeFormat('en-US', { timeZone: ZONE, ...opts }).format(instant);
  const date = part({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const time = part({ hour: 'numeric', minute: '2-digit', hour12: true });
  const zone = part({ timeZoneName: 'short' }).split(' ').pop();
  return `${date} at ${time} ${zone}`.replace(/\u202f/g, ' ');
}

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => { await browser?.close(); });

test('a participant removes their phone number from the manage page', async () => {
  const b = await booking();
  const last4 = b.phone.slice(-4);
  // The page works without JavaScript; the browser runs none, as a locked-down phone might.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    const res = await page.goto(BASE + b.path);
    assert.equal(res.status(), 200);

    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Your interview');
    const when = (await page.locator('.when').innerText()).replace(/\s+/g, ' ').trim();
    assert.equal(when, expectedWhen(b.startsAt), "the time in the participant's own zone");
    const text = await page.locator('main').innerText();
    assert.match(text, /Status: Booked/);
    assert.ok(text.includes(`ending in ${last4}`), `shows the number by its last four digits: ${text}`);
    const html = await page.content();
    assert.ok(!html.includes(b.phone) && !html.includes(b.phone.slice(2)), 'never the whole number');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // A real click on the form's submit button; the form posts, the server answers 303.
    const button = page.locator('form[method="post"] button[type="submit"]');
    assert.equal(await button.innerText(), 'Remove my phone number');
    await Promise.all([page.waitForURL(/\?removed=1$/), button.click()]);

    const afterText = await page.locator('main').innerText();
    assert.ok(afterText.includes('Your phone number was removed'), afterText);
    assert.ok(afterText.includes('No phone number is on this booking'), afterText);
    assert.ok(!(await page.content()).includes(last4), 'the number is gone from the page');
    assert.equal(await page.getByRole('button', { name: 'Remove my phone number' }).count(), 0);

    const api = await ok(200, call('GET', `/public/bookings/${b.manage_token}`));
    assert.equal(api.phone_last4, null, `the API no longer has the number: ${JSON.stringify(api)}`);
    assert.equal(api.status, 'booked', 'the booking itself stays');
  } finally {
    await context.close();
  }
});

test('a form post without a matching CSRF cookie and field changes nothing', async () => {
  const b = await booking();
  const remove = `${BASE}${b.path}/remove-phone`;
  const post = (body, cookie) => fetch(remove, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body,
    redirect: 'manual',
  });

  // The page's own cookie, as another site could never read it.
  const page = await fetch(BASE + b.path);
  const cookie = page.headers.get('set-cookie')?.split(';')[0];
  assert.match(cookie ?? '', /^manage_csrf=.+/, 'the page sets the CSRF cookie');
  const field = (await page.text()).match(/name="csrf" value="([^"]+)"/)?.[1];
  assert.ok(field, 'the form carries the CSRF field');

  for (const [what, res] of [
    ['no cookie, no field', await post('', undefined)],
    ['no cookie, a guessed field', await post('csrf=forged', undefined)],
    ['no cookie, the real field', await post(`csrf=${encodeURIComponent(field)}`, undefined)],
    ['the real cookie, no field', await post('', cookie)],
    ['the real cookie, another field', await post('csrf=forged', cookie)],
  ]) {
    assert.ok(res.status >= 400 && res.status < 500, `${what}: refused, got ${res.status}`);
    const api = await ok(200, call('GET', `/public/bookings/${b.manage_token}`));
    assert.equal(api.phone_last4, b.phone.slice(-4), `${what}: the number stays`);
  }
});
