import request from 'supertest';
import { DonationEvents, FINANCE_KEY, money, openWorld, unbalancedEntries } from './helpers';

// A stream of payment events gives the fund's totals a person computes by hand. On its own
// world: fresh database, own topic namespace (and so its own consumer group,
// '<namespace>pledge-ledger').

const finance = () => ({ authorization: `Bearer ${FINANCE_KEY}` });

describe('a stream of payment events → specialist-training totals equal the hand-computed figures', () => {
  it('GET /funds/specialist-training/totals', async () => {
    const fresh = await openWorld('ledger_mustshow');
    try {
      const A = new DonationEvents({ gross: money(10000), fee: money(290) });
      const B = new DonationEvents({ channel: 'office', gross: money(5000), fee: money(175) });
      const C = new DonationEvents({ gross: money(20000), fee: money(580) });
      const D = new DonationEvents({ gross: money(2000), fee: money(88) });
      const E = new DonationEvents({ gross: money(7500), fee: money(243) });
      const F = new DonationEvents({ gross: money(4000), fee: money(146) });
      const G = new DonationEvents({ gross: money(6000), fee: money(204) });
      const H = new DonationEvents({
        provider: 'paypal',
        gross: money(3000, 'USD'),
        fee: money(117, 'USD'),
      });
      const I = new DonationEvents({ fund: 'general', gross: money(50000), fee: money(1480) });
      const J = new DonationEvents({ gross: money(999) });
      const stream = [
        A.succeeded(),
        B.succeeded(),
        C.succeeded(),
        D.succeeded(),
        E.succeeded(),
        F.succeeded(),
        G.succeeded(),
        H.succeeded(),
        I.succeeded(),
        J.failed(),
        C.refunded('re_c', 3000, 3000),
        D.refunded('re_d', 2000, 2000),
        E.disputed('dp_e', 7500),
        F.disputed('dp_f', 4000),
        G.disputed('dp_g', 6000),
        E.disputeClosed('dp_e', 7500, 'won'),
        F.disputeClosed('dp_f', 4000, 'lost'),
      ];
      await fresh.publish(stream);
      await fresh.waitConsumed(stream.length);

      // By hand, BYN, specialist-training:
      //   gross   100.00 + 50.00 + 200.00 + 20.00 + 75.00 + 40.00 + 60.00       = 545.00
      //   fees      2.90 +  1.75 +   5.80 +  0.88 +  2.43 +  1.46 +  2.04       =  17.26
      //   refunds  30.00 (C partial) + 20.00 (D full) + 40.00 (F dispute lost) =  90.00
      //   held     60.00 (G still open; E was won and released)
      //   net      545.00 − 17.26 − 90.00 = 437.74; available 437.74 − 60.00 = 377.74
      // USD: gross 30.00, fees 1.17, net 28.83. I (general) and J (failed) are not in it.
      const res = await request(fresh.service.app)
        .get('/funds/specialist-training/totals')
        .set(finance())
        .expect(200);
      expect(res.body.rows).toEqual([
        {
          currency: 'BYN',
          gross: 54500,
          fees: 1726,
          coveredFees: 0,
          refunds: 9000,
          disputesLost: 4000,
          disputesHeld: 6000,
          net: 43774,
          available: 37774,
          count: 7,
        },
        {
          currency: 'USD',
          gross: 3000,
          fees: 117,
          coveredFees: 0,
          refunds: 0,
          disputesLost: 0,
          disputesHeld: 0,
          net: 2883,
          available: 2883,
          count: 1,
        },
      ]);
      const byChannel = await request(fresh.service.app)
        .get('/funds/specialist-training/totals?groupBy=channel')
        .set(finance())
        .expect(200);
      expect(
        byChannel.body.rows.find((r: { group: string }) => r.group === 'office'),
      ).toMatchObject({
        currency: 'BYN',
        gross: 5000,
        fees: 175,
        net: 4825,
        count: 1,
      });
      // 9 donations + 9 fees + 2 refunds + 3 disputes opened + 2 closed, every one balanced and chained.
      expect(await unbalancedEntries(fresh.db)).toEqual([]);
      const audit = await request(fresh.service.app)
        .get('/audit/verify')
        .set(finance())
        .expect(200);
      expect(audit.body).toMatchObject({ ok: true, checked: 25 });
    } finally {
      await fresh.close();
    }
  });
});
