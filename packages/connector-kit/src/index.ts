export * from './connector.js';
export * from './capabilities/index.js';
export * from './http-errors.js';
export { connectorContract, type ContractOptions } from './contract/connector-contract.js';
export * from './json-http.js';
