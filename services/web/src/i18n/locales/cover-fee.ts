// "Cover the fee" strings (issue #16): the donate page's checkbox and the thank-you page's
// covered part, in the three page languages. Registered with addCatalogue() under `coverFee`.
const en = {
  coverFee: {
    label: 'Add the card fee (≈ {{fee}}) so all of my gift reaches the fund',
    labelNoEstimate: 'Add the card fee so all of my gift reaches the fund',
    hint: 'For {{amount}}, {{total}} is charged and all of {{amount}} reaches the fund. This is an estimate; the payment page shows the exact total.',
    covered: 'Added to cover the card fee',
    gift: 'Reaches the fund',
    notMonthly:
      'Adding the card fee works for one-off gifts only for now. Untick it, or choose “Once”.',
  },
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

const ru: Shape<typeof en> = {
  coverFee: {
    label: 'Добавить комиссию за карту (≈ {{fee}}), чтобы всё пожертвование поступило в фонд',
    labelNoEstimate: 'Добавить комиссию за карту, чтобы всё пожертвование поступило в фонд',
    hint: 'За {{amount}} будет списано {{total}}, и в фонд поступит вся сумма {{amount}}. Это оценка; точную сумму покажет страница оплаты.',
    covered: 'Добавлено на комиссию за карту',
    gift: 'Поступает в фонд',
    notMonthly:
      'Добавить комиссию пока можно только к разовому пожертвованию. Снимите отметку или выберите «Один раз».',
  },
};

const be: Shape<typeof en> = {
  coverFee: {
    label: 'Дадаць камісію за картку (≈ {{fee}}), каб усё ахвяраванне паступіла ў фонд',
    labelNoEstimate: 'Дадаць камісію за картку, каб усё ахвяраванне паступіла ў фонд',
    hint: 'За {{amount}} будзе спісана {{total}}, і ў фонд паступіць уся сума {{amount}}. Гэта ацэнка; дакладную суму пакажа старонка аплаты.',
    covered: 'Дададзена на камісію за картку',
    gift: 'Паступае ў фонд',
    notMonthly:
      'Дадаць камісію пакуль можна толькі да разовага ахвяравання. Зніміце адзнаку або выберыце «Адзін раз».',
  },
};

export const coverFeeCatalogue = { be, ru, en };
