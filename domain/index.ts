// The shared vocabulary of the whole system: cards, orders, products, failures,
// maintenance, languages. Imported by every layer; imports nothing.
export * from './assist.js';
export * from './cards.js';
export * from './failures.js';
export * from './maintenance.js';
export * from './orders.js';
export * from './compensation.js';
export * from './journeys.js';
export * from './claims.js';
export * from './printer.js';
