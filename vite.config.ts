import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 5173 },
	preview: { port: 4173, strictPort: true },
	// pdfjs's CMaps are fetched by URL: keep them files of this origin (a data: URL would need the CSP opened)
	build: { assetsInlineLimit: (file: string) => (file.endsWith('.bcmap') ? false : undefined) },
	test: {
		expect: { requireAssertions: true },
		// A 2-core machine runs two spec files at once: give a slow moment room, not a false failure.
		testTimeout: 20_000,
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'node',
					environment: 'node',
					include: ['src/**/*.spec.ts', 'tests/unit/**/*.spec.ts'],
					exclude: ['src/**/*.svelte.spec.ts']
				}
			},
			{
				extends: './vite.config.ts',
				plugins: [svelteTesting()],
				test: {
					name: 'components',
					environment: 'jsdom',
					include: ['src/**/*.svelte.spec.ts']
				}
			}
		]
	}
});
