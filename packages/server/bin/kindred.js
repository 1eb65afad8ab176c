#!/usr/bin/env node
// The server runs from its TypeScript sources through tsx; there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
