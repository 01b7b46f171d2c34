#!/usr/bin/env node
// Runs duban's TypeScript sources directly (tsx), so the checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
