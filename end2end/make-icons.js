// Renders public/icons/icon-{192,512}.png from the brand mark, full bleed so
// the same file serves as a maskable icon (the "R" sits well inside the 80 %
// safe zone). Run once after changing the mark: `cd end2end && node make-icons.js`.
const { chromium } = require('@playwright/test');
const path = require('path');

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0"><div style="width:${size}px;height:${size}px;background:#0f766e;display:grid;place-items:center;color:#fff;font:800 ${Math.round(size * 0.5)}px system-ui,sans-serif">R</div></body></html>`);
    await page.screenshot({ path: path.resolve(__dirname, '..', 'public', 'icons', `icon-${size}.png`) });
    await page.close();
  }
  await browser.close();
})();
