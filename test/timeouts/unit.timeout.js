// The unit suites' default timeout (jest.config.js explains why it is set here).
jest.setTimeout(15000);
