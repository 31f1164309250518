// The atlas's words come from the one message catalogue in src/i18n, shared with the CLI and the workbooks.
export * from '../../src/i18n/messages.js';
export { reasonInLanguage } from '../../src/i18n/reasons.js';
