// Harness of the end-to-end and fault-injection tests: the three services as separate
// processes on a private PostgreSQL and a private Kafka broker.
export * from './book';
export * from './donor';
export * from './http';
export * from './infra';
export * from './invariants';
export * from './kafka';
export * from './otlp-collector';
export * from './payment-backlog';
export * from './ports';
export * from './postgres';
export * from './report';
export * from './scale';
export * from './stream';
export * from './suite';
export * from './faults';
