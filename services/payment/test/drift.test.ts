import path from 'node:path';
import { expectNoDrift } from '@bfi/db';

it('the migrations build exactly what schema.prisma declares', () =>
  expectNoDrift(path.join(__dirname, '..')));
