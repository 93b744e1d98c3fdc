// Tests are JavaScript: n8n's strict community lint applies its cloud rules to every .ts file,
// which fits shipped node code, not test harnesses. ts-jest compiles the TypeScript they import.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] };

module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform,
			testMatch: ['<rootDir>/test/unit/**/*.test.js'],
			// The tools load the package's code from dist (as built); unit tests need no build.
			moduleNameMapper: { '^(?:\\.\\./)+dist/(nodes/.+)\\.js$': '<rootDir>/$1.ts' },
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform,
			testMatch: ['<rootDir>/test/e2e/**/*.test.js'],
			globalSetup: '<rootDir>/test/e2e/global-setup.js',
			setupFilesAfterEnv: ['<rootDir>/test/e2e/support/setup.js'],
			globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
		},
		{
			// The same tests of storage, the answer to InstaMed and authentication, against n8n in
			// queue mode (the setup reads this project's name).
			displayName: 'queue',
			testEnvironment: 'node',
			transform,
			testMatch: [
				'<rootDir>/test/e2e/storage-postgres.test.js',
				'<rootDir>/test/e2e/storage-data-table.test.js',
				'<rootDir>/test/e2e/acknowledgement.test.js',
				'<rootDir>/test/e2e/auth.test.js',
				'<rootDir>/test/e2e/n8n-bugs.test.js',
				'<rootDir>/test/queue/**/*.test.js',
			],
			globalSetup: '<rootDir>/test/e2e/global-setup.js',
			globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
		},
	],
};
