// English catalogue: the source of every key. ru.ts and be.ts must have the same shape
// (TypeScript checks it), and a test renders every page and fails on any missing key.
import { RECEIPT_TEXT } from '@bfi/receipts';

export const en = {
  meta: {
    siteName: '#BullyingFreeInternet',
    description:
      'Donate to #BullyingFreeInternet: every gift trains specialists who treat children hurt by cyberbullying.',
  },
  common: {
    skip: 'Skip to the main content',
    language: 'Language',
    donate: 'Donate',
    home: 'About the campaign',
    partners: 'A campaign of UNICEF Belarus and MTS',
    backHome: 'Back to the campaign page',
  },
  help: RECEIPT_TEXT.en.help,
  campaign: {
    title: 'Together for an internet without bullying',
    lead: '#BullyingFreeInternet is a campaign of UNICEF Belarus and MTS against cyberbullying.',
    fund: 'Every gift trains specialists — psychologists, social workers, school counsellors — who treat children and teenagers hurt by cyberbullying.',
    raisedTitle: 'Raised so far',
    donors_one: '{{count}} donor',
    donors_few: '{{count}} donors',
    donors_many: '{{count}} donors',
    donors_other: '{{count}} donors',
    nothingYet: 'No gifts yet — yours can be the first.',
    goal: 'Goal: {{goal}}',
    live: 'The figures update live.',
    cta: 'Donate now',
    aboutTitle: 'Where your gift goes',
    about1:
      'Cyberbullying hurts: insults in chats, humiliating photos, threats. Children often stay alone with it.',
    about2:
      'Your donation pays for training the specialists who help them, and for the free, anonymous counselling service.',
  },
  donate: {
    title: 'Make a gift',
    atOffice: 'You are giving at {{office}}.',
    counterAmount: 'Amount set at the counter: {{amount}}',
    counterExpires: 'This counter code is valid until {{time}}.',
    amountLegend: 'Amount',
    presetsHint: 'Choose an amount or type your own.',
    custom: 'Other amount',
    customHint: 'For example 25 or 25,50',
    currencyLegend: 'Currency',
    methodLegend: 'Payment method',
    card: 'Card',
    paypal: 'PayPal',
    paypalNoByn:
      'PayPal does not accept Belarusian rubles (BYN). Pay by card, or choose USD or EUR to use PayPal.',
    name: 'Your name for the receipt',
    anonymous: 'Give anonymously',
    email: 'E-mail for the receipt (optional)',
    emailHint: 'We only send the receipt there.',
    submit: 'Continue to payment',
    secure: 'You pay on the secure page of the card processor or PayPal.',
    qrRefused: 'This QR code cannot be used',
    qrOnline: 'You can still give online below, without the QR code.',
    refused: 'The payment could not start',
    errors: {
      amount: 'Enter an amount such as 25 or 25,50.',
      amountMax: 'The amount is too large.',
      email: 'Enter an e-mail address such as name@example.com, or leave the field empty.',
      name: 'Enter your name, or choose to give anonymously.',
      unavailable: 'The payment service cannot be reached right now. Please try again in a minute.',
    },
  },
  thanks: {
    title: 'Thank you!',
    status: {
      pending: 'We are waiting for the payment confirmation…',
      succeeded: 'Your gift has arrived. Thank you!',
      failed: 'The payment did not go through. No money was taken.',
      expired: 'The payment was not completed in time and was cancelled. No money was taken.',
      partially_refunded: 'Part of this gift was refunded.',
      refunded: 'This gift was refunded.',
    },
    statusLabel: 'Status',
    amount: 'Amount',
    fund: 'Fund',
    office: 'Office',
    tryAgain: 'Try again',
    receipt: 'Download the receipt (PDF)',
    receiptLater: 'The receipt is ready as soon as the payment is confirmed.',
    notFound: 'We cannot find this donation. Check the link, or donate again.',
    reward: {
      title: 'Your sticker pack',
      code: 'Claim code',
      atCounter:
        'Show this code or the QR code at the counter of {{office}} to get your sticker pack.',
      qrAlt: 'QR code of your claim code {{code}}',
      digital: 'Open your digital sticker pack',
      waiting: 'Your reward is on its way — this takes a few seconds.',
      none: 'This gift did not unlock a sticker pack this time. Thank you all the same!',
      waitingList:
        'The office will hand out your pack when its next delivery arrives. Keep this code.',
      done: 'Your sticker pack has been handed out. Thank you!',
    },
  },
  pack: {
    title: 'Your digital sticker pack',
    intro: 'Open the pack once to get the link to your stickers.',
    open: 'Open my sticker pack',
    ready: 'Your stickers are ready.',
    download: 'Get the stickers',
    refused: 'This pack cannot be opened',
  },
  receipt: {
    ...RECEIPT_TEXT.en.receipt,
    notReady: 'The receipt is ready once the payment is confirmed.',
  },
  errors: {
    title: 'Something went wrong',
    notFound: 'This page does not exist.',
    unavailable: 'This service is unavailable right now. Please try again in a minute.',
  },
};

/** The shape every catalogue has: the same keys, any text. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Catalogue = Shape<typeof en>;
