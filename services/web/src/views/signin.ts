// The pages around signing in: refusals (no role, wrong role), a sign-in that failed or is not
// set up, and the page after signing out. Each in the person's language, with a way on.
import { html } from './html';
import { layout, type PageContext } from './layout';

export function signinPages(ctx: PageContext) {
  const { t } = ctx;
  const page = (title: string, message: string, link: { href: string; text: string }) =>
    layout(ctx, {
      title,
      body: html`<h1>${title}</h1>
        <p role="alert">${message}</p>
        <p><a class="button" href="${link.href}">${link.text}</a></p>`,
    });
  const again = (next = '/admin') => ({
    href: `/signin?next=${encodeURIComponent(next)}`,
    text: t('signin.tryAgain'),
  });
  const home = { href: '/', text: t('common.backHome') };
  return {
    noRole: () => page(t('signin.noRoleTitle'), t('signin.noRole'), home),
    wrongRole: () =>
      page(
        t('signin.wrongRoleTitle'),
        t('signin.wrongRole', { role: ctx.person ? t(`signin.roles.${ctx.person.role}`) : '' }),
        { href: '/signin/home', text: t('signin.yourPages') },
      ),
    failed: (next?: string) => page(t('signin.failedTitle'), t('signin.failed'), again(next)),
    providerDown: (next?: string) =>
      page(t('signin.failedTitle'), t('signin.providerDown'), again(next)),
    notConfigured: () => page(t('signin.notConfiguredTitle'), t('signin.notConfigured'), home),
    signedOut: () =>
      layout(ctx, {
        title: t('signin.signedOutTitle'),
        body: html`<h1>${t('signin.signedOutTitle')}</h1>
          <p role="status">${t('signin.signedOut')}</p>
          <p><a class="button" href="/signin">${t('signin.signIn')}</a></p>
          <p><a href="/">${t('common.backHome')}</a></p>`,
      }),
  };
}
