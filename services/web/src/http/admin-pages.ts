// /admin (landing page) and /admin/people (who has which role): for admins only.
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import { ApiUnavailable, type Apis } from '../app/api';
import type { PeopleTable } from '../app/people';
import { personApi } from '../app/person-api';
import { adminHomePage, peoplePage, type PeopleView } from '../views/admin';
import { pageContext, sendPage } from './context';
import { personOf, requirePerson } from './session';

export interface AdminDeps {
  people: PeopleTable;
  apis: Apis;
  counsellingUrl: string;
}

const RoleForm = z.object({
  who: z.string().trim().min(1).max(200),
  role: z.enum(['admin', 'finance', 'office-staff', 'none']),
  officeId: z.string().trim().max(100).optional(),
});

export function mountAdminPages(app: Express, deps: AdminDeps): void {
  const admin = requirePerson('admin');
  const ctxOf = (req: Request, res: Response) => pageContext(req, res, deps.counsellingUrl);

  app.get('/admin', admin, (req, res) => sendPage(res, 200, adminHomePage(ctxOf(req, res))));

  const render = async (
    req: Request,
    res: Response,
    status: number,
    extra: Partial<PeopleView>,
  ) => {
    const offices = await officesOf(deps.apis, res);
    const { entries, seen } = deps.people.list();
    const withRoles = seen.map((s) => ({ ...s, role: deps.people.resolve(s)?.role ?? null }));
    const page = peoplePage(ctxOf(req, res), {
      entries,
      seen: withRoles,
      offices,
      notice: null,
      ...extra,
    });
    sendPage(res, status, page);
  };

  app.get('/admin/people', admin, async (req, res) => render(req, res, 200, {}));

  app.post(
    '/admin/people',
    admin,
    express.urlencoded({ extended: false, limit: '10kb' }),
    async (req, res) => {
      const { t } = ctxOf(req, res);
      const parsed = RoleForm.safeParse(req.body);
      const officeId = parsed.success ? parsed.data.officeId || undefined : undefined;
      const form = {
        who: String(req.body?.who ?? ''),
        role: String(req.body?.role ?? ''),
        officeId: String(req.body?.officeId ?? ''),
      };
      if (!parsed.success || (parsed.data.role === 'office-staff' && !officeId)) {
        return render(req, res, 422, {
          form,
          notice: { kind: 'error', text: t('people.invalid') },
        });
      }
      const offices = await officesOf(deps.apis, res);
      if (
        parsed.data.role === 'office-staff' &&
        offices &&
        !offices.some((o) => o.id === officeId)
      ) {
        const text = t('people.unknownOffice', { office: officeId });
        return render(req, res, 422, { form, notice: { kind: 'error', text } });
      }
      const entry = deps.people.set(
        { ...parsed.data, officeId },
        personOf(res).email ?? personOf(res).sub,
      );
      const role = entry.role === 'none' ? t('people.none') : t(`signin.roles.${entry.role}`);
      await render(req, res, 200, {
        notice: { kind: 'ok', text: t('people.saved', { who: entry.who, role }) },
      });
    },
  );

  app.post(
    '/admin/people/remove',
    admin,
    express.urlencoded({ extended: false, limit: '1kb' }),
    async (req, res) => {
      const { t } = ctxOf(req, res);
      const who = typeof req.body?.who === 'string' ? req.body.who : '';
      deps.people.remove(who);
      await render(req, res, 200, { notice: { kind: 'ok', text: t('people.removed', { who }) } });
    },
  );
}

/** The offices, read from payment as the signed-in admin; null when they cannot be read. */
async function officesOf(
  apis: Apis,
  res: Response,
): Promise<{ id: string; name: string }[] | null> {
  try {
    const answer = await personApi(apis, personOf(res)).call<{ id: string; name: string }[]>(
      'payment',
      'GET',
      '/offices',
    );
    return answer.ok && Array.isArray(answer.body) ? answer.body : null;
  } catch (err) {
    if (err instanceof ApiUnavailable) return null;
    throw err;
  }
}
