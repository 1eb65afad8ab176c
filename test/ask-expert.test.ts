import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ClientEvents } from '../packages/protocol/src/index.js';
import { hostToken } from '../packages/server/src/testing/host-tokens.js';
import { mailbox, type Mailbox } from '../packages/server/src/testing/smtp-mailbox.js';
import { client, session, type TestClient } from '../packages/server/src/testing/socket-client.js';
import { launchChromium } from './support/browser.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';

type Res<K extends keyof ClientEvents> = ClientEvents[K]['res'];

const DEMO_SECRET = 'e2e-ask-expert-demo-site-signing-secret-0123456789';
const SEEDED = 'How long does the swelling last after a knee replacement?';
const PRIVATE = 'Is it normal that my scar itches at night, three weeks after surgery?';

/**
 * Issue 5's acceptance on the shipped demo: a visitor asks a private question
 * on Riverside's public page, the demo clinician answers from the clinician
 * page in another browser, and the answer, its badge and its email arrive.
 */
describe('ask an expert on the demo site', () => {
  let kindred: KindredServer;
  let mail: Mailbox;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const sockets: TestClient[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  };
  const widget = (page: Page): Locator => page.locator('kindred-ask-expert');
  const question = (scope: Locator, title: string): Locator => scope.locator('article[part~="question"]').filter({ hasText: title });
  const tab = (scope: Locator, name: string): Locator => scope.getByRole('tab', { name: new RegExp(`^${name}`) });

  async function ok<K extends keyof ClientEvents>(socket: TestClient, event: K, req: ClientEvents[K]['req']): Promise<Res<K>> {
    const ack = (await socket.ask(event, req)) as Ack<Res<K>>;
    if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }

  async function socketAs(signIn: (socket: TestClient) => Promise<unknown>): Promise<TestClient> {
    const socket = client(kindred.url);
    sockets.push(socket);
    await session(socket);
    await signIn(socket);
    return socket;
  }

  async function visitor(): Promise<Locator> {
    const page = await newPage();
    await page.goto(`${kindred.url}/demo/`);
    const element = widget(page);
    await element.locator('[part~="response-time"]').waitFor({ timeout: 15_000 });
    return element;
  }

  async function signInAsGuest(element: Locator, name: string): Promise<void> {
    await element.getByLabel('Display name').fill(name);
    await element.getByRole('button', { name: 'Continue' }).click();
    await element.getByLabel('Your question').waitFor();
  }

  beforeAll(async () => {
    mail = await mailbox();
    kindred = await startKindred({ smtpUrl: mail.url, demoSecret: DEMO_SECRET });
    browser = await launchChromium();
    // An earlier visitor's public question, already answered by the demo clinician.
    const asker = await socketAs((socket) => ok(socket, 'session:guest', { displayName: 'Earlier Visitor' }));
    const { question: seeded } = await ok(asker, 'question:ask', { topic: 'knee-replacement', clientId: 'seeded1', title: SEEDED, visibility: 'public' });
    const token = await hostToken(DEMO_SECRET, { sub: 'demo-expert', name: 'Dr. Alex Morgan', aud: 'demo' });
    const expert = await socketAs((socket) => ok(socket, 'session:member', { token }));
    await ok(expert, 'question:reply', {
      questionId: seeded.id,
      clientId: 'seeded-answer',
      body: 'Swelling is usually worst in the first two weeks and can last three to six months. Keep your leg raised and use ice.',
    });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const context of contexts) await context.close();
    await browser?.close();
    await kindred?.stop();
    await mail?.close();
  });

  let inbox: Locator;
  let rosa: Locator;

  it('shows the demo clinician an inbox once they sign in on the clinician page', async () => {
    const page = await newPage();
    await page.goto(`${kindred.url}/demo/experts/`);
    await page.getByRole('link', { name: 'Sign in as the demo clinician' }).click();
    await page.waitForURL(`${kindred.url}/demo/experts/`);
    inbox = widget(page);
    await tab(inbox, 'Inbox').waitFor({ timeout: 15_000 });
    await inbox.getByText('Answering as Dr. Alex Morgan').waitFor();
  });

  it('takes a private question with an email for the answer, and the clinician sees it arrive live', async () => {
    rosa = await visitor();
    await signInAsGuest(rosa, 'Rosa');
    await rosa.getByLabel('Your question').fill(PRIVATE);
    await rosa.getByLabel('Details (optional)').fill('It is not red or warm, just itchy.');
    await rosa.getByRole('radio', { name: /^Private/ }).check();
    await rosa.getByRole('checkbox', { name: 'Email me when an expert answers' }).check();
    await rosa.getByLabel('Email address').fill('rosa@example.org');
    await rosa.getByRole('button', { name: 'Ask', exact: true }).click();
    await rosa.getByText('Your question was sent.').first().waitFor();

    const arrived = question(inbox, PRIVATE);
    await arrived.waitFor({ timeout: 10_000 });
    await arrived.getByText('Private', { exact: true }).waitFor();
    await arrived.locator('[part~="inbox-age"]').waitFor();
  });

  it('never shows the private question to another visitor', async () => {
    const other = await visitor();
    for (const name of ['Unanswered', 'Answered']) {
      await tab(other, name).click();
      await other.locator('article[part~="question"], [part~="empty"]').first().waitFor();
      await expect.poll(() => question(other, SEEDED).count()).toBe(name === 'Answered' ? 1 : 0);
      expect(await question(other, PRIVATE).count()).toBe(0);
    }
  });

  it('publishes the clinician’s answer: it leaves the inbox, and the visitor sees it live, badged and first, and gets the email', async () => {
    const received = mail.next();
    const item = question(inbox, PRIVATE);
    await item.getByLabel('Your answer').fill('Itching is a normal part of healing for several weeks. Moisturise around the scar, not on it, and avoid scratching.');
    await item.getByRole('button', { name: 'Publish answer' }).click();
    await expect.poll(() => question(inbox, PRIVATE).count(), { timeout: 10_000 }).toBe(0);

    await tab(rosa, 'My questions').click();
    const mine = question(rosa, PRIVATE);
    const featured = mine.locator('[part~="expert-answer"]');
    await featured.waitFor({ timeout: 10_000 });
    await featured.getByText('Verified clinician').waitFor();
    await featured.getByText('MD, Orthopaedic Surgery').waitFor();
    await featured.getByText('Dr. Alex Morgan').first().waitFor();
    await rosa.getByText(/general information, not medical advice/).first().waitFor();

    const message = await received;
    expect(message.to).toEqual(['rosa@example.org']);
    expect(message.text).toContain(`${kindred.url}/demo/`);
    expect(message.text).not.toContain('scar');

    await mine.getByRole('button', { name: 'This helped' }).click();
    await expect.poll(() => mine.getByRole('button', { name: 'This helped' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('offers an answered question to a visitor who types a close one, before they ask', async () => {
    const typist = await visitor();
    await signInAsGuest(typist, 'Sam');
    await typist.getByLabel('Your question').fill('how long will swelling last after my knee replacement');
    const similar = typist.locator('[part~="similar"]');
    await similar.getByText(SEEDED).waitFor({ timeout: 10_000 });
    expect(await similar.getByText(PRIVATE).count()).toBe(0);
  });
});
