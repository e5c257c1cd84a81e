// Build entry: tsc keeps the source layout (rootDir "."), so this file makes the
// API start from dist/apps/api/main.js as docs/api-contract.md promises.
import './src/main';
