import assert from 'node:assert/strict';
import { test } from 'node:test';
import { javaMajorVersion } from '../../lambdas/local/java-runtime.js';

test('reads the major version from the banners of current and old JVMs', () => {
  assert.equal(javaMajorVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment'), 17);
  assert.equal(javaMajorVersion('java version "21" 2023-09-19 LTS'), 21);
  assert.equal(javaMajorVersion('openjdk version "11.0.22" 2024-01-16'), 11);
  assert.equal(javaMajorVersion('java version "1.8.0_392"'), 8);
  assert.equal(javaMajorVersion('Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version "17.0.2" 2022-01-18'), 17);
});

test('a banner without a version is not guessed at', () => {
  assert.equal(javaMajorVersion('Error: could not find libjava.so'), undefined);
});
