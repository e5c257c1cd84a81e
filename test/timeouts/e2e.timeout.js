// The e2e suites' default timeout (jest.config.js explains why it is set here).
jest.setTimeout(60000);
