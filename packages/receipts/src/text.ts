// The receipt's words in the three campaign languages, in one place: the PDF and the e-mail use
// them here, and the donor pages' catalogues (services/web) take their `help` and `receipt`
// sections from here, so a wording is changed once. `{{name}}`-style placeholders are filled by
// `fill` below (no i18next needed for a dozen strings).

export const RECEIPT_LOCALES = ['be', 'ru', 'en'] as const;
export type ReceiptLocale = (typeof RECEIPT_LOCALES)[number];
/** When a donation recorded no language (older rows): the campaign runs in Belarus. */
export const DEFAULT_RECEIPT_LOCALE: ReceiptLocale = 'be';

export function isReceiptLocale(value: unknown): value is ReceiptLocale {
  return typeof value === 'string' && (RECEIPT_LOCALES as readonly string[]).includes(value);
}

const en = {
  help: {
    title: 'Need help now?',
    helpline: 'Child helpline, free and 24/7:',
    counselling: 'Anonymous free psychological counselling online',
  },
  receipt: {
    title: 'Donation receipt',
    number: 'Receipt number',
    date: 'Date',
    amount: 'Amount',
    fund: 'Fund',
    fundName: 'Training specialists who treat victims of cyberbullying',
    donor: 'Donor',
    anonymous: 'Anonymous',
    office: 'Office',
    reference: 'Payment reference',
    coveredFee: 'Of which added to cover the card fee',
    gift: 'Reaches the fund',
    campaign: '#BullyingFreeInternet — a campaign of UNICEF Belarus and MTS against cyberbullying',
    unicef: 'UNICEF Belarus: receives the funds and pays for the training of specialists.',
    mts: 'MTS Belarus: partner of the campaign, hosts the donation points in its offices.',
    thanks: 'Thank you for helping children live free of bullying.',
  },
  mail: {
    subject: 'Thank you for your gift — receipt {{number}}',
    greeting: 'Dear {{name}},',
    greetingAnonymous: 'Hello,',
    body: 'thank you for your gift of {{amount}} to #BullyingFreeInternet. It trains the specialists who help children hurt by cyberbullying.',
    attached: 'Your receipt {{number}} is attached to this e-mail as a PDF.',
    coveredFee:
      'You added {{fee}} to cover the card fee, so all of your gift of {{gift}} reaches the fund.',
    signature: 'UNICEF Belarus and MTS',
  },
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type ReceiptText = Shape<typeof en>;

const be: ReceiptText = {
  help: {
    title: 'Патрэбна дапамога зараз?',
    helpline: 'Дзіцячая тэлефонная лінія, бясплатна і кругласутачна:',
    counselling: 'Ананімная бясплатная псіхалагічная дапамога анлайн',
  },
  receipt: {
    title: 'Квітанцыя аб ахвяраванні',
    number: 'Нумар квітанцыі',
    date: 'Дата',
    amount: 'Сума',
    fund: 'Фонд',
    fundName: 'Навучанне спецыялістаў, якія дапамагаюць пацярпелым ад кібербулінгу',
    donor: 'Ахвярадаўца',
    anonymous: 'Ананімна',
    office: 'Офіс',
    reference: 'Нумар плацяжу',
    coveredFee: 'З іх дададзена, каб пакрыць камісію за картку',
    gift: 'Паступае ў фонд',
    campaign: '#BullyingFreeInternet — кампанія ЮНІСЕФ у Беларусі і МТС супраць кібербулінгу',
    unicef: 'ЮНІСЕФ у Беларусі: атрымлівае сродкі і аплачвае навучанне спецыялістаў.',
    mts: 'МТС Беларусь: партнёр кампаніі, размяшчае пункты ахвяраванняў у сваіх офісах.',
    thanks: 'Дзякуй, што дапамагаеце дзецям жыць без цкавання.',
  },
  mail: {
    subject: 'Дзякуй за ахвяраванне — квітанцыя {{number}}',
    greeting: 'Шаноўны(ая) {{name}},',
    greetingAnonymous: 'Добры дзень,',
    body: 'дзякуй за ваша ахвяраванне {{amount}} для #BullyingFreeInternet. Яно дапамагае навучаць спецыялістаў, якія падтрымліваюць дзяцей, пацярпелых ад кібербулінгу.',
    attached: 'Квітанцыя {{number}} далучана да гэтага ліста ў фармаце PDF.',
    coveredFee:
      'Вы дадалі {{fee}}, каб пакрыць камісію за картку, таму ўсё ваша ахвяраванне {{gift}} паступае ў фонд.',
    signature: 'ЮНІСЕФ у Беларусі і МТС',
  },
};

const ru: ReceiptText = {
  help: {
    title: 'Нужна помощь прямо сейчас?',
    helpline: 'Детская телефонная линия, бесплатно и круглосуточно:',
    counselling: 'Анонимная бесплатная психологическая помощь онлайн',
  },
  receipt: {
    title: 'Квитанция о пожертвовании',
    number: 'Номер квитанции',
    date: 'Дата',
    amount: 'Сумма',
    fund: 'Фонд',
    fundName: 'Обучение специалистов, помогающих пострадавшим от кибербуллинга',
    donor: 'Жертвователь',
    anonymous: 'Анонимно',
    office: 'Офис',
    reference: 'Номер платежа',
    coveredFee: 'Из них добавлено, чтобы покрыть комиссию за карту',
    gift: 'Поступает в фонд',
    campaign: '#BullyingFreeInternet — кампания ЮНИСЕФ в Беларуси и МТС против кибербуллинга',
    unicef: 'ЮНИСЕФ в Беларуси: получает средства и оплачивает обучение специалистов.',
    mts: 'МТС Беларусь: партнёр кампании, размещает точки пожертвований в своих офисах.',
    thanks: 'Спасибо, что помогаете детям жить без травли.',
  },
  mail: {
    subject: 'Спасибо за пожертвование — квитанция {{number}}',
    greeting: 'Уважаемый(ая) {{name}},',
    greetingAnonymous: 'Здравствуйте,',
    body: 'спасибо за ваше пожертвование {{amount}} для #BullyingFreeInternet. Оно помогает обучать специалистов, которые поддерживают детей, пострадавших от кибербуллинга.',
    attached: 'Квитанция {{number}} приложена к этому письму в формате PDF.',
    coveredFee:
      'Вы добавили {{fee}}, чтобы покрыть комиссию за карту, поэтому всё ваше пожертвование {{gift}} поступает в фонд.',
    signature: 'ЮНИСЕФ в Беларуси и МТС',
  },
};

export const RECEIPT_TEXT: Record<ReceiptLocale, ReceiptText> = { be, ru, en };

/** The child helpline printed on every receipt and e-mail (free, Belarus). */
export const HELPLINE = '8 800 100 16 11';

/** Replaces `{{key}}` with the value given for it. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (all, key: string) => values[key] ?? all);
}
