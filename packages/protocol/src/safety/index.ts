/**
 * The patient-safety rules shared by the server's write pipeline and the
 * browser composer: identifiers (HIPAA Safe Harbor), clinician disclosure,
 * crisis language and site word lists. Pure functions, no dependencies.
 */
export * from './identifiers.js';
export * from './disclosure.js';
export * from './crisis.js';
export * from './words.js';
