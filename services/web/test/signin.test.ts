// People sign in through the real local OpenID provider (oidc-provider in the embedded suite):
// each role lands where it should, a wrong role and a person without a role are refused in
// their language, forms without the session's CSRF token are refused, sign-out ends the session
// here and at the provider.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { phone, screenshot, seriousViolations, useBrowser } from './support/browser';
import { csrfTokenOf, signIn, type DemoPerson } from './support/signin';

const env = useBrowser();
const contexts: BrowserContext[] = [];

async function fresh(browser: Browser, locale = 'en-US'): Promise<Page> {
  const page = await phone(browser, locale);
  contexts.push(page.context());
  return page;
}
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
});

const header = (page: Page) => page.locator('header .signed-in');

describe('signing in', () => {
  test('the admin signs in at the provider’s form and sees the admin page with her name', async () => {
    const page = await fresh(env.browser);
    await page.goto(`${env.s.urls.web}/admin?lang=en`);
    // Not signed in: sent to the provider's login form.
    expect(new URL(page.url()).origin).toBe(env.s.urls.oidc);
    await screenshot(page, 'signin-provider-form');
    await signIn(page, 'admin', '/admin');
    expect(new URL(page.url()).pathname).toBe('/admin');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Administration',
    );
    await expect(header(page).textContent()).resolves.toContain('Signed in as Alesia Admin (demo)');
    await expect(page.getByRole('link', { name: 'People and roles' }).count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'signin-admin-home');
  });

  test.each([
    ['finance', '/finance', 'Fiodar Finance (demo)', 'finance'],
    // /office sends staff on to their own office's console.
    [
      'staff-minsk-nezavisimosti-10',
      '/office/minsk-nezavisimosti-10',
      'Staff of MTS office, Minsk',
      'office staff',
    ],
  ])('%s lands on %s and is refused the admin pages', async (who, home, name, role) => {
    const page = await fresh(env.browser);
    await signIn(page, who as DemoPerson);
    expect(new URL(page.url()).pathname).toBe(home);
    const res = await page.goto(`${env.s.urls.web}/admin/people?lang=en`);
    expect(res!.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Not for your role',
    );
    await expect(header(page).textContent()).resolves.toContain(name);
    await expect(header(page).textContent()).resolves.toContain(role);
  });

  test('a person without a role is refused in her language, then let in once an admin gives her one', async () => {
    const visitor = await fresh(env.browser, 'ru-RU');
    await signIn(visitor, 'visitor', '/admin');
    const refused = await visitor.goto(`${env.s.urls.web}/admin`);
    expect(refused!.status()).toBe(403);
    await expect(visitor.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Доступа пока нет',
    );
    await expect(visitor.getByRole('alert').textContent()).resolves.toContain('Люди и роли');
    expect(await seriousViolations(visitor)).toEqual([]);
    await screenshot(visitor, 'signin-no-role-ru');

    const admin = await fresh(env.browser);
    await signIn(admin, 'admin', '/admin/people?lang=en');
    // She tried: the admin sees her among recent sign-ins, without a role.
    await expect(admin.locator('#seen').textContent()).resolves.toContain('visitor@bfi.example');
    await admin.getByLabel('Person (e-mail or provider subject)').fill('visitor@bfi.example');
    await admin.getByLabel('Role', { exact: true }).selectOption('finance');
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect(admin.getByRole('status').textContent()).resolves.toContain(
      'visitor@bfi.example is now finance',
    );
    expect(await seriousViolations(admin)).toEqual([]);
    await screenshot(admin, 'signin-people');

    // At her next click she has the role (finance: /admin stays closed, but not as "no role").
    await visitor.goto(`${env.s.urls.web}/signin/home`);
    expect(new URL(visitor.url()).pathname).toBe('/finance');
    const again = await visitor.goto(`${env.s.urls.web}/admin?lang=en`);
    expect(again!.status()).toBe(403);
    await expect(visitor.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Not for your role',
    );

    // The admin takes it away again.
    await admin.goto(`${env.s.urls.web}/admin/people?lang=en`);
    await admin.getByRole('button', { name: 'Remove the entry of visitor@bfi.example' }).click();
    await visitor.goto(`${env.s.urls.web}/signin/home?lang=en`);
    await expect(visitor.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'No access yet',
    );
  });

  test('a JSON request without a session gets 401 problem+json, not a redirect', async () => {
    const res = await fetch(`${env.s.urls.web}/admin/people`, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  test('the callback refuses a made-up answer from "the provider"', async () => {
    const page = await fresh(env.browser);
    const res = await page.goto(
      `${env.s.urls.web}/signin/callback?code=forged&state=forged&lang=en`,
    );
    expect(res!.status()).toBe(400);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Sign-in did not work',
    );
  });
});

describe('forms need the session’s CSRF token', () => {
  test('a POST without the token is refused and changes nothing; with it, it works', async () => {
    const page = await fresh(env.browser);
    await signIn(page, 'admin', '/admin/people?lang=en');
    const token = await csrfTokenOf(page);
    expect(token).toBeTruthy();
    const form = { who: 'csrf-victim@bfi.example', role: 'admin' };
    const forged = await page.request.post(`${env.s.urls.web}/admin/people`, { form });
    expect(forged.status()).toBe(403);
    const wrong = await page.request.post(`${env.s.urls.web}/admin/people`, {
      form: { ...form, _csrf: 'not-the-token' },
    });
    expect(wrong.status()).toBe(403);
    await page.reload();
    await expect(page.locator('main').textContent()).resolves.not.toContain('csrf-victim');

    const signOut = await page.request.post(`${env.s.urls.web}/signout`, { maxRedirects: 0 });
    expect(signOut.status()).toBe(403);
    const still = await page.goto(`${env.s.urls.web}/admin?lang=en`);
    expect(still!.status()).toBe(200);

    const real = await page.request.post(`${env.s.urls.web}/admin/people`, {
      headers: { 'x-csrf-token': token! },
      form: { who: 'csrf-ok@bfi.example', role: 'none' },
    });
    expect(real.status()).toBe(200);
  });
});

describe('signing out', () => {
  test('by keyboard: the header’s Sign out ends the session here and at the provider', async () => {
    const page = await fresh(env.browser);
    await signIn(page, 'admin', '/admin?lang=en');
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    // RP-initiated logout: the provider asks whether to end its session too.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${env.s.urls.web}/signed-out`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'You are signed out',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'signin-signed-out');
    // Back to a console: the provider asks for the password again.
    await page.goto(`${env.s.urls.web}/admin`);
    expect(new URL(page.url()).origin).toBe(env.s.urls.oidc);
    await expect(page.getByLabel('Password').count()).resolves.toBe(1);
  });
});
