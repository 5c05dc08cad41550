// The participant's "new message" email as a mail app shows it: the HTML part exactly
// as SES received it (the emulator keeps the request's parts), rendered in headless
// Chromium at a phone's width and a desktop's, light and dark, screenshots kept as
// test artifacts under target/ (EMAIL_SCREENSHOTS=docs/ to refresh the committed ones).
// BASE_URL is a running local stack (infra/scripts/browser-test.sh starts one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, launchChromium, ok } from './helpers.mjs';

const OUT = process.env.EMAIL_SCREENSHOTS ?? 'target';

// A team writes to a participant, the way the README's tour does; the email it causes.
async function newMessageEmail() {
  const sub = `email-${crypto.randomUUID()}`;
  const { token } = await ok(200, call('POST', '/_dev/token', { body: { sub, email: `${sub}@example.org` } }));
  const ws = await ok(201, call('POST', '/workspaces', {
    token, body: { name: 'Email Lab' }, headers: { 'idempotency-key': sub },
  }));
  const studyName = `Insomnia Study ${sub.slice(-6)}`;
  const study = await ok(201, call('POST', `/workspaces/${ws.id}/studies`, {
    token, body: { name: studyName, kind: 'interview', recruitment: 'direct', contact_phone: '+16175550123' },
  }));
  const participantEmail = `pat-${sub}@example.org`;
  const participant = await ok(201, call('POST', `/studies/${study.id}/participants`, {
    token, body: { email: participantEmail, name: 'Pat Example', source: 'direct' },
  }));
  const body = 'Your sleep diary is due Thursday';
  await ok(201, call('POST', `/studies/${study.id}/conversations`, {
    token, body: { participant_id: participant.id, body },
  }));
  const outbox = await ok(200, call('GET', '/_dev/outbox'));
  const emails = outbox.emails.filter((e) => e.to === participantEmail);
  assert.equal(emails.length, 1, JSON.stringify(outbox.emails.slice(-3)));
  return { email: emails[0], studyName, body };
}

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => { await browser?.close(); });

test('the new-message email renders at phone and desktop widths, light and dark', async () => {
  const { email, studyName, body } = await newMessageEmail();
  for (const part of [email.subject, email.html, email.text]) {
    assert.ok(!part.includes(studyName), 'names the study');
    assert.ok(!part.includes('sleep diary'), 'quotes the message');
  }
  for (const [name, width, scheme] of [
    ['phone', 375, 'light'], ['desktop', 1024, 'light'], ['phone-dark', 375, 'dark'],
  ]) {
    // Mail apps show no scripts and fetch nothing for a message like this one.
    const context = await browser.newContext({
      viewport: { width, height: 800 }, javaScriptEnabled: false, colorScheme: scheme,
    });
    const page = await context.newPage();
    try {
      await page.route('**/*', (route) => route.abort());
      await page.setContent(email.html, { waitUntil: 'load' });
      const button = page.getByRole('link', { name: 'View My Message' });
      assert.equal(await button.count(), 1);
      assert.match(await button.getAttribute('href'), /\/messages\/[^/]+$/);
      const box = await button.boundingBox();
      assert.ok(box.height >= 40, `a button a thumb can press: ${JSON.stringify(box)}`);
      assert.ok(box.x >= 0 && box.x + box.width <= width, `the button fits the screen: ${JSON.stringify(box)}`);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= width, `no sideways scrolling at ${width}px: ${scrollWidth}`);
      const phone = page.getByRole('link', { name: '(617) 555-0123' });
      assert.equal(await phone.getAttribute('href'), 'tel:+16175550123');
      assert.equal(await page.getByRole('link', { name: 'Contact Us' }).count(), 1);
      const text = await page.locator('body').innerText();
      assert.ok(text.includes('You are getting this email because'), text);
      if (scheme === 'dark') {
        // The dark palette is applied: light text on a dark card.
        const ink = await page.locator('h1').evaluate((h) => getComputedStyle(h).color);
        assert.equal(ink, 'rgb(236, 238, 241)');
      }
      await page.screenshot({ path: `${OUT}/email-new-message-${name}.png`, fullPage: true });
    } finally {
      await context.close();
    }
  }
});
