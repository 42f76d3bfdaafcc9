// The local inbox page of the mail catcher (`npm start` prints its URL): the list of mails, one
// mail's text, and its attachments to download. Plain HTML, no script.
import type { ServerResponse } from 'node:http';
import { escapeHtml as h, LocalServer, sendHtml, sendJson, type FakeRequest } from './http-util';
import type { CaughtMail, MailCatcher } from './mail-catcher';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title></head>
<body style="font-family: sans-serif; max-width: 60rem; margin: 1rem auto; padding: 0 1rem">
<main><h1>${h(title)}</h1>${body}</main></body></html>`;

function listPage(mails: CaughtMail[]): string {
  if (mails.length === 0) return page('Local inbox', '<p>No mail yet.</p>');
  const rows = [...mails]
    .reverse()
    .map(
      (m) => `<tr><td>${h(m.receivedAt)}</td><td>${h(m.envelope.to.join(', '))}</td>
<td><a href="/mails/${h(m.id)}">${h(m.subject || '(no subject)')}</a></td>
<td>${m.attachments.map((a) => h(a.filename)).join(', ')}</td></tr>`,
    )
    .join('\n');
  return page(
    'Local inbox',
    `<p>${mails.length} mail(s) caught by the local SMTP server; nothing here left this machine.</p>
<table><thead><tr><th scope="col">Received</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Attachments</th></tr></thead>
<tbody>${rows}</tbody></table>`,
  );
}

function mailPage(m: CaughtMail): string {
  const attachments = m.attachments
    .map(
      (a, i) =>
        `<li><a href="/mails/${h(m.id)}/attachments/${i}" download="${h(a.filename)}">${h(a.filename)}</a> (${h(a.contentType)}, ${a.content.length} bytes)</li>`,
    )
    .join('');
  return page(
    m.subject || '(no subject)',
    `<p><a href="/">← all mails</a></p>
<dl><dt>From</dt><dd>${h(m.envelope.from)}</dd><dt>To</dt><dd>${h(m.envelope.to.join(', '))}</dd>
<dt>Received</dt><dd>${h(m.receivedAt)}</dd><dt>Message-ID</dt><dd>${h(m.messageId ?? '')}</dd></dl>
<h2>Text</h2><pre style="white-space: pre-wrap">${h(m.text)}</pre>
<h2>Attachments</h2>${attachments ? `<ul>${attachments}</ul>` : '<p>None.</p>'}`,
  );
}

function route(catcher: MailCatcher, req: FakeRequest, res: ServerResponse): void {
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'read-only inbox' });
  if (req.path === '/') return sendHtml(res, 200, listPage(catcher.all()));
  if (req.path === '/mails.json')
    return sendJson(
      res,
      200,
      catcher.all().map(({ attachments, ...m }) => ({
        ...m,
        attachments: attachments.map((a) => ({ filename: a.filename, size: a.content.length })),
      })),
    );
  const match = /^\/mails\/([\w-]+)(?:\/attachments\/(\d+))?$/.exec(req.path);
  const mail = match ? catcher.get(match[1]!) : undefined;
  if (!mail) return sendHtml(res, 404, page('Not found', '<p><a href="/">All mails</a></p>'));
  if (match![2] === undefined) return sendHtml(res, 200, mailPage(mail));
  const attachment = mail.attachments[Number(match![2])];
  if (!attachment) return sendHtml(res, 404, page('Not found', '<p>No such attachment.</p>'));
  res.writeHead(200, {
    'content-type': attachment.contentType,
    'content-length': attachment.content.length,
    'content-disposition': `attachment; filename="${attachment.filename.replace(/[^\w.-]/g, '_')}"`,
  });
  res.end(attachment.content);
}

/** The inbox page over a catcher, on its own port. */
export function mailInbox(catcher: MailCatcher): LocalServer {
  return new LocalServer((req, res) => route(catcher, req, res));
}
