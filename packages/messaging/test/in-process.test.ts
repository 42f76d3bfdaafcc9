import { InProcessTransport } from '../src';
import { transportContract } from './contract';
import { logger } from './harness';

transportContract('in-process', () => new InProcessTransport({ logger }));
