/** Channels: the connector's only network I/O (SFTP pickup and drop). */
export * from './sftp.config.js';
export * from './pickup.ledger.js';
export * from './sftp.channel.js';
