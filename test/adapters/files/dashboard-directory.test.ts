import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DashboardDirectory } from '../../../lambdas/adapters/files/dashboard-directory.js';

const root = mkdtempSync(join(tmpdir(), 'lookout-dashboard-'));
after(() => rmSync(root, { recursive: true, force: true }));

function builtDashboard(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(dir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'logo-X1.woff2'), Buffer.from([0, 1, 2]));
  writeFileSync(join(root, 'secret.txt'), 'outside');
  return dir;
}

describe('DashboardDirectory', () => {
  it('serves each file of the directory by its relative name, with its content type', async () => {
    const files = new DashboardDirectory(builtDashboard('types'));
    const expected: Record<string, string> = {
      'index.html': 'text/html; charset=utf-8',
      'assets/app.js': 'text/javascript; charset=utf-8',
      'assets/app.css': 'text/css; charset=utf-8',
      'assets/logo-X1.woff2': 'font/woff2',
    };
    for (const [name, contentType] of Object.entries(expected)) {
      const file = await files.read(name);
      assert.ok(file, name);
      assert.equal(file.contentType, contentType, name);
    }
    assert.equal(Buffer.from((await files.read('assets/app.js'))!.bytes).toString('utf8'), 'export {};');
  });

  it('reads the directory once: later changes are not seen, as a deployed asset never changes', async () => {
    const dir = builtDashboard('once');
    const files = new DashboardDirectory(dir);
    assert.ok(await files.read('assets/app.js'));
    writeFileSync(join(dir, 'assets', 'app.js'), 'changed');
    writeFileSync(join(dir, 'assets', 'late.js'), 'late');
    assert.equal(Buffer.from((await files.read('assets/app.js'))!.bytes).toString('utf8'), 'export {};');
    assert.equal(await files.read('assets/late.js'), undefined);
  });

  it('serves nothing outside the directory, nor a directory, nor a missing file', async () => {
    const files = new DashboardDirectory(builtDashboard('outside'));
    for (const name of ['../secret.txt', 'assets/../../secret.txt', '/etc/passwd', 'assets', 'assets/', 'nope.js', '']) {
      assert.equal(await files.read(name), undefined, name);
    }
  });

  it('treats a missing directory as a dashboard with no files', async () => {
    const files = new DashboardDirectory(join(root, 'never-built'));
    assert.equal(await files.read('index.html'), undefined);
  });
});
