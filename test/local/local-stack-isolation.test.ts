/**
 * Two local stacks in one process, as the tests start them, each serve from their own tables:
 * their handlers are built from each stack's own environment, and nothing goes through process.env.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { EnvironmentVariable } from '../../lambdas/contract/environment-variables.js';
import { startStackFixture, type StackFixture } from '../support/local-stack-fixture.js';

let first: StackFixture;
let second: StackFixture;
const lookoutVariables = () => Object.entries(process.env).filter(([name]) => name.startsWith('LOOKOUT_'));
const variablesBefore = lookoutVariables();

before(async () => {
  first = await startStackFixture();
  second = await startStackFixture();
});
after(async () => {
  await first?.close();
  await second?.close();
});

const requests = (fx: StackFixture, key: string) => fetch(`${fx.url}/v1/requests`, { headers: { 'Lookout-Auth': `Bearer ${key}` } });

test("a key of one stack works on that stack's query API and gateway, and not on the other's", async () => {
  const firstAdmin = await first.createKey('admin');
  const secondAdmin = await second.createKey('admin');
  assert.equal((await requests(first, firstAdmin)).status, 200);
  assert.equal((await requests(second, secondAdmin)).status, 200);
  assert.equal((await requests(second, firstAdmin)).status, 401);
  assert.equal((await requests(first, secondAdmin)).status, 401);

  const chat = (fx: StackFixture, key: string) =>
    new OpenAI({
      apiKey: 'sk-test',
      baseURL: `${fx.url}/openai/v1`,
      defaultHeaders: { 'Lookout-Auth': `Bearer ${key}` },
      maxRetries: 0,
    }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  await chat(first, firstAdmin);
  await assert.rejects(chat(second, firstAdmin), OpenAI.AuthenticationError);
});

test('leaves process.env alone', () => {
  assert.deepEqual(lookoutVariables(), variablesBefore);
  assert.notEqual(
    first.stack.lambdaEnvironment[EnvironmentVariable.dynamodbEndpoint],
    second.stack.lambdaEnvironment[EnvironmentVariable.dynamodbEndpoint],
  );
});
