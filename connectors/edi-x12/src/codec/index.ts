/** The X12 codec: streaming reader, envelope validation with TA1/997/999, writer and envelope builder. */
export * from './x12.types.js';
export * from './segment.access.js';
export * from './segment.tokenizer.js';
export * from './envelope.assembler.js';
export * from './x12.reader.js';
export * from './writer/x12.writer.js';
export * from './writer/control-number.sequence.js';
export * from './writer/envelope.builder.js';
export * from './validate/ack.codes.js';
export * from './validate/control-number.registry.js';
export * from './validate/segment.dictionary.js';
export * from './validate/segment.validator.js';
export * from './validate/envelope.validator.js';
export * from './validate/acknowledgment.builder.js';
