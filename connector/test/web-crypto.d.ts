/*
 * The tests import the worker's webhook.ts (to make real JWEs), which names the global
 * CryptoKey type of the Workers and DOM libraries; @types/node 20 has it only under
 * node:crypto's webcrypto, so it is named here for the connector's type check.
 */
type CryptoKey = import('node:crypto').webcrypto.CryptoKey;
