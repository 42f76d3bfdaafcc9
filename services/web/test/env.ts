process.env.LOG_LEVEL ??= 'silent';
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
