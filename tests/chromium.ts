/** Debian's Chromium as every Playwright config here launches it (never a downloaded browser). */
export const chromiumLaunch = {
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	// without the background-networking flags Chromium keeps calling home, which this network refuses
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
};
