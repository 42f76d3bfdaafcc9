// Quiet logs unless asked for (LOG_LEVEL=debug npx jest …); kafkajs' partitioner notice off.
process.env.LOG_LEVEL ??= 'warn';
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
