// Signing a browser page in through the real local OpenID provider (services/suite/src/
// oidc.ts), as a person does: the console sends the browser to the provider's login form,
// the person types login and password, the provider sends them back signed in.
import type { Page } from 'playwright-core';
import { suite } from './browser';

/** The demo people (README): 'admin' | 'finance' | 'staff-<officeId>' | 'visitor' (no role). */
export type DemoPerson = 'admin' | 'finance' | 'visitor' | `staff-${string}`;
export const DEMO_PASSWORD = 'bfi-demo';

/**
 * Signs `page` in as `who` and leaves it on `next` (default: the person's own console).
 * `web` is the web app's base URL (default: the suite's). A page whose browser context is
 * still signed in at the provider comes straight back without the form.
 */
export async function signIn(
  page: Page,
  who: DemoPerson,
  next = '/signin/home',
  web = suite().urls.web,
): Promise<void> {
  const webOrigin = new URL(web).origin;
  await page.goto(`${web}/signin?next=${encodeURIComponent(next)}`);
  if (new URL(page.url()).origin !== webOrigin) {
    await page.getByLabel('Login').fill(who);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  // Back on the web app: at `next`, or on the callback's page when the sign-in failed.
  await page.waitForURL((u) => u.origin === webOrigin && u.pathname !== '/signin', {
    timeout: 90000,
  });
}

/** The session's CSRF token, as console scripts read it (the page head's meta tag). */
export function csrfTokenOf(page: Page): Promise<string | null> {
  return page.locator('meta[name="csrf-token"]').getAttribute('content');
}
