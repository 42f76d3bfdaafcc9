import { Ticker, type Logger, type Transport } from '@bfi/messaging';
import { Gauge, register } from 'prom-client';

// Same definition as @bfi/messaging's gauge; whichever module loads first registers it.
const consumerLag =
  (register.getSingleMetric('messaging_consumer_lag') as Gauge<string> | undefined) ??
  new Gauge({
    name: 'messaging_consumer_lag',
    help: 'Messages on subscribed topics not yet committed by the consumer group',
    labelNames: ['consumer'],
  });

/** Refreshes messaging_consumer_lag{consumer} from the broker every `intervalMs`. */
export class LagMonitor {
  private readonly ticker: Ticker;
  private inFlight?: Promise<void>;

  constructor(
    private readonly transport: Transport,
    private readonly consumer: string,
    private readonly topics: string[],
    intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.ticker = new Ticker(async () => void (await this.refresh()), {
      name: 'consumer lag',
      everyMs: intervalMs,
      runAtStart: true,
      logger,
    });
  }

  start(): void {
    this.ticker.start();
  }

  /** Reads the lag now and sets the gauge; returns it. */
  async refresh(): Promise<number | undefined> {
    if (this.inFlight) await this.inFlight;
    let lag: number | undefined;
    this.inFlight = this.transport
      .lag(this.consumer, this.topics)
      .then((value) => {
        lag = value;
        consumerLag.set({ consumer: this.consumer }, value);
      })
      .catch((err: unknown) => this.logger.warn({ err }, 'could not read consumer lag'));
    await this.inFlight;
    this.inFlight = undefined;
    return lag;
  }

  async stop(): Promise<void> {
    await this.ticker.stop();
    await this.inFlight;
  }
}
