// Run before every e2e test file (jest.config.js setupFilesAfterEnv): tests wait on a real n8n,
// so they get a minute each; a file that needs longer sets its own.
jest.setTimeout(60_000);
