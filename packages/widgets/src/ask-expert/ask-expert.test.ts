/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { Connection, getConnection } from '@kindred/client';
import type { QuestionView } from '@kindred/protocol';
import './define.js';
import type { KindredAskExpert } from './ask-expert.js';
import { answerAuthUrl, button, hostToken, type } from '../testing/host-page.js';

declare global {
  interface Window {
    KINDRED_TEST_SERVER: string;
  }
}

/**
 * `<kindred-ask-expert>` against the real test server. Its `demo` site's
 * signing secret is known to this page, so the tests sign real host tokens:
 * `demo-expert` (Dr. Alex Morgan, the seeded expert of `knee-replacement`,
 * "MD, Orthopaedic Surgery") and `demo-moderator`. Expert tests use that
 * topic, with titles of their own; visitor-only tests use fresh topics.
 */
const server = window.KINDRED_TEST_SERVER;
const EXPERT_TOPIC = 'knee-replacement';
const EXPERT = { sub: 'demo-expert', name: 'Dr. Alex Morgan' };
const MODERATOR = { sub: 'demo-moderator', name: 'Dr. Priya Patel (moderator)' };
let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;
const newTopic = (): string => `wtr-ask-${unique()}`;

const root = (el: KindredAskExpert): ShadowRoot => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: KindredAskExpert, selector: string): T | null =>
  root(el).querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: KindredAskExpert, selector: string): T[] => [
  ...root(el).querySelectorAll<T>(selector),
];
const text = (node: Node | null): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const until = (check: () => unknown, message: string, timeout = 8000): Promise<void> =>
  waitUntil(check, message, { timeout });
const announced = (el: KindredAskExpert): string => text($(el, '[part~="announcer"]'));

const open: Connection[] = [];
const elements: KindredAskExpert[] = [];

async function mount(topic: string, authUrl = ''): Promise<KindredAskExpert> {
  const el = await fixture<KindredAskExpert>(
    html`<kindred-ask-expert topic=${topic} server=${server} site="demo" auth-url=${authUrl}></kindred-ask-expert>`,
  );
  elements.push(el);
  return el;
}

/** An element on a page of its own whose host site says `login` is signed in (null: nobody). */
async function mountSignedIn(topic: string, login: { sub: string; name: string } | null): Promise<KindredAskExpert> {
  const authUrl = `/auth/${unique()}`;
  const token = login ? await hostToken(login) : null;
  answerAuthUrl(authUrl, () => (token ? Response.json({ token }) : new Response(null, { status: 204 })));
  open.push(getConnection({ server, site: 'demo', authUrl }));
  return mount(topic, authUrl);
}

async function expertInbox(): Promise<KindredAskExpert> {
  const el = await mountSignedIn(EXPERT_TOPIC, EXPERT);
  await until(() => $(el, '#tab-inbox[aria-selected="true"]') && $(el, '[part~="list"], [part~="empty"]'), 'the inbox');
  return el;
}

/** Someone on a socket of their own: a guest, or a member signed in by a host token. */
async function visitor(name: string): Promise<Connection> {
  const connection = new Connection({ server, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', 'the visitor to connect');
  await connection.signInAsGuest(name);
  return connection;
}

async function memberSocket(login: { sub: string; name: string }): Promise<Connection> {
  const connection = new Connection({ server, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', 'the member to connect');
  const { user } = await connection.request('session:member', { token: await hostToken(login) });
  connection.identity = user;
  return connection;
}

const clientId = (): string => crypto.randomUUID().replaceAll('-', '');

async function askAs(connection: Connection, topic: string, title: string, visibility: 'public' | 'private' = 'public'): Promise<QuestionView> {
  const { question } = await connection.request('question:ask', { topic, clientId: clientId(), title, visibility });
  return question;
}

async function answerAs(connection: Connection, question: QuestionView, body: string) {
  return connection.request('question:reply', { questionId: question.id, clientId: clientId(), body });
}

/**
 * Deletes a question a test left waiting for a moderator (held, or flagged as
 * a crisis), so the moderation console's tests find their queues as they expect.
 */
async function withdraw(el: KindredAskExpert, questionId: string): Promise<void> {
  const connection = getConnection({ server, site: 'demo', ...(el.authUrl ? { authUrl: el.authUrl } : {}) });
  await connection.request('post:delete', { postId: questionId });
}

async function ready(el: KindredAskExpert): Promise<void> {
  await until(() => $(el, '[part~="list"], [part~="empty"]'), 'the questions');
}

async function signIn(el: KindredAskExpert, name: string): Promise<void> {
  await until(() => $(el, '#name, #ask-title'), 'the sign-in form or the question box');
  if (!$(el, '#ask-title')) {
    type($(el, '#name')!, name);
    button(root(el), 'Continue').click();
  }
  await until(() => $(el, '#ask-title'), 'the question box');
}

const tab = (el: KindredAskExpert, name: string): HTMLButtonElement =>
  $$<HTMLButtonElement>(el, '[role="tab"]').find((each) => text(each) === name)!;
const question = (el: KindredAskExpert, title: string): HTMLElement | undefined =>
  $$(el, 'article[part~="question"]').find((article) => text(article.querySelector('[part~="question-title"]')) === title);

async function openTab(el: KindredAskExpert, name: string): Promise<void> {
  tab(el, name).click();
  await until(() => tab(el, name).getAttribute('aria-selected') === 'true' && $(el, '[part~="list"], [part~="empty"]'), `the ${name} tab`);
}

async function ask(el: KindredAskExpert, title: string, details = ''): Promise<void> {
  type($<HTMLInputElement>(el, '#ask-title')!, title);
  type($<HTMLTextAreaElement>(el, '#ask-details')!, details);
  button(root(el), 'Ask').click();
}

afterEach(() => {
  for (const el of elements.splice(0)) el.remove();
  for (const connection of open.splice(0)) connection.close();
});

describe('kindred-ask-expert', () => {
  before(() => localStorage.clear());

  it('is busy while loading, then shows the empty Answered tab with the notes and the response time', async () => {
    const el = await mount(newTopic());
    expect($(el, '[part~="base"]')!.getAttribute('aria-busy')).to.equal('true');
    expect(text($(el, '[part~="panel"]'))).to.equal('Loading questions…');
    await expect(el).to.be.accessible();
    await ready(el);
    expect($(el, '[part~="base"]')!.getAttribute('aria-busy')).to.equal('false');
    expect(text($(el, '[part~="empty"]'))).to.equal('No answered questions yet.');
    expect(text($(el, '[part~="medical-note"]'))).to.equal(
      'Answers are general information, not medical advice, and do not create a clinician–patient relationship. In an emergency call 911.',
    );
    expect(text($(el, '[part~="response-time"]'))).to.equal('Answers may take a few days.');
    expect($(el, '[part~="disclaimer"]')).not.to.equal(null);
    expect($$(el, '[role="tab"]').map(text)).to.deep.equal(['Answered', 'Unanswered']);
    await expect(el).to.be.accessible();
  });

  it('lets a guest ask a public question and shows it in My questions', async () => {
    const el = await mount(newTopic());
    await ready(el);
    await signIn(el, 'Rosa');
    expect(root(el).activeElement).to.equal($(el, '#ask-title'));
    expect($$(el, '[role="tab"]').map(text)).to.deep.equal(['Answered', 'Unanswered', 'My questions']);
    await expect(el).to.be.accessible();

    const asked = oneEvent(el, 'kindred-question-asked');
    await ask(el, 'How long does the swelling last?', 'I had surgery six weeks ago.');
    const { question: stored } = (await asked).detail;
    expect(stored).to.include({ title: 'How long does the swelling last?', visibility: 'public' });
    await until(() => question(el, 'How long does the swelling last?'), 'the question in My questions');
    expect(tab(el, 'My questions').getAttribute('aria-selected')).to.equal('true');
    const article = question(el, 'How long does the swelling last?')!;
    expect(root(el).activeElement).to.equal(article);
    expect(text(article.querySelector('[part~="details"]'))).to.equal('I had surgery six weeks ago.');
    expect(text(article.querySelector('[part~="asker"]'))).to.equal('Asked by Rosa');
    expect(article.querySelector('[part~="private-marker"]')).to.equal(null);
    expect($<HTMLInputElement>(el, '#ask-title')!.value).to.equal('');
    await until(() => announced(el).includes('Your question was sent.'), 'the announcement');
    await expect(el).to.be.accessible();
  });

  it('asks privately: marked Private for the asker, and never shown to another visitor', async () => {
    const topic = newTopic();
    const el = await mount(topic);
    await ready(el);
    await signIn(el, 'Rosa');
    $<HTMLInputElement>(el, 'input[name="visibility"][value="private"]')!.click();
    await ask(el, 'Is it normal that my scar itches at night?');
    await until(() => question(el, 'Is it normal that my scar itches at night?'), 'the private question');
    expect(text(question(el, 'Is it normal that my scar itches at night?')!.querySelector('[part~="private-marker"]'))).to.equal('Private');

    // Another visitor (signed in on the host site, so not this browser's guest) sees nothing.
    const other = await mountSignedIn(topic, { sub: `patient-${unique()}`, name: 'Sam' });
    await ready(other);
    await until(() => text($(other, '[part~="identity"]')) === 'Asking as Sam', 'the other visitor');
    await openTab(other, 'Unanswered');
    expect(text($(other, '[part~="empty"]'))).to.equal('No questions are waiting for an answer.');
    await openTab(other, 'My questions');
    expect($(other, 'article[part~="question"]')).to.equal(null);
    await expect(other).to.be.accessible();
  });

  it('asks for an email only with the box ticked, with the consent wording, and says when the server refuses the address', async () => {
    const el = await mount(newTopic());
    await ready(el);
    await signIn(el, 'Rosa');
    expect($(el, '#ask-email')).to.equal(null);
    $<HTMLInputElement>(el, '#ask-notify')!.click();
    await until(() => $(el, '#ask-email'), 'the email field');
    expect(text($(el, '[part~="email-consent"]'))).to.equal("We'll use this address only to tell you about an answer, then delete it.");
    expect($(el, '#ask-email')!.getAttribute('aria-describedby')).to.equal('ask-email-consent');
    await expect(el).to.be.accessible();
    type($<HTMLInputElement>(el, '#ask-email')!, 'not an address');
    await ask(el, 'Can I go swimming after surgery?');
    await until(() => text($(el, '#ask-error')) !== '', 'the refusal');
    expect(text($(el, '#ask-error'))).to.match(/^Invalid email/);
    type($<HTMLInputElement>(el, '#ask-email')!, 'rosa@example.org');
    const asked = oneEvent(el, 'kindred-question-asked');
    button(root(el), 'Ask').click();
    expect((await asked).detail.question.notifying).to.equal(true);
  });

  it('offers Retry when the server cannot be reached', async () => {
    const el = await fixture<KindredAskExpert>(
      html`<kindred-ask-expert topic=${newTopic()} server="http://127.0.0.1:9" site="demo"></kindred-ask-expert>`,
    );
    elements.push(el);
    await until(() => $(el, '[part~="retry"]'), 'the error state');
    expect(text($(el, '[part~="panel"]'))).to.contain('The questions could not be loaded.');
    await expect(el).to.be.accessible();
  });

  it('explains a refusal when the site is not set up for this page', async () => {
    const el = await mount(newTopic().replace('wtr', 'x'), '');
    el.site = 'nowhere';
    await until(() => text($(el, '[part~="error"]')).includes("can't be shown on this page"), 'the refusal');
    expect($(el, '[part~="composer"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('says how long a question must be, counting as the server does', async () => {
    const el = await mount(newTopic());
    await ready(el);
    await signIn(el, 'Rosa');
    await ask(el, 'Too short');
    await el.updateComplete;
    expect(text($(el, '#ask-title-error'))).to.equal('Use 10 to 150 characters.');
    expect($(el, '#ask-title')!.getAttribute('aria-invalid')).to.equal('true');
    expect(root(el).activeElement).to.equal($(el, '#ask-title'));
    await expect(el).to.be.accessible();
  });

  it('warns about identifiers before asking: Edit my question selects the number, Ask anyway sends', async () => {
    const el = await mount(newTopic());
    await ready(el);
    await signIn(el, 'Rosa');
    await ask(el, 'Please call me back about my knee', 'My number is 555-123-4567, evenings are best.');
    await until(() => $(el, '[part~="identifier-warning"]'), 'the warning');
    const warning = $(el, '[part~="identifier-warning"]')!;
    expect(warning.getAttribute('role')).to.equal('alert');
    expect(text(warning)).to.contain("This looks like a phone number — people you don't know can read this.");
    await expect(el).to.be.accessible();
    button(warning, 'Edit my question').click();
    await until(() => root(el).activeElement === $(el, '#ask-details'), 'focus in the details');
    const details = $<HTMLTextAreaElement>(el, '#ask-details')!;
    expect(details.value.slice(details.selectionStart, details.selectionEnd)).to.equal('555-123-4567');

    button(root(el), 'Ask').click();
    await until(() => $(el, '[part~="identifier-warning"]'), 'the warning again');
    const asked = oneEvent(el, 'kindred-question-asked');
    button($(el, '[part~="identifier-warning"]')!, 'Ask anyway').click();
    const { question: sent } = (await asked).detail;
    expect(sent.title).to.equal('Please call me back about my knee');
    await withdraw(el, sent.id);
  });

  it('offers crisis support before asking, once per draft', async () => {
    const el = await mount(newTopic());
    await ready(el);
    await signIn(el, 'Rosa');
    const shown = oneEvent(el, 'kindred-crisis-support-shown');
    await ask(el, 'I do not know who to talk to', "I don't want to live anymore.");
    expect((await shown).detail.stage).to.equal('draft');
    await until(() => root(el).activeElement === $(el, '[part~="crisis-panel"]'), 'focus on the support panel');
    const panel = $(el, '[part~="crisis-panel"]')!;
    expect(text(panel)).to.contain("You don't have to go through this alone.");
    expect(panel.querySelector('a[href="tel:988"]')).not.to.equal(null);
    expect(text(panel)).to.contain('A member of our team will read it before it appears.');
    await expect(el).to.be.accessible();
    button(panel, 'Close').click();
    await until(() => root(el).activeElement === $(el, '#ask-title'), 'focus back in the question');
    const asked = oneEvent(el, 'kindred-question-asked');
    button(root(el), 'Ask').click();
    const { question: sent } = (await asked).detail;
    expect(sent.title).to.equal('I do not know who to talk to');
    await withdraw(el, sent.id);
  });

  it('moves through the tabs with the arrow keys (roving tabindex)', async () => {
    const el = await mount(newTopic());
    await ready(el);
    await signIn(el, 'Rosa');
    const tabs = $$<HTMLButtonElement>(el, '[role="tab"]');
    expect(tabs.map((each) => each.tabIndex)).to.deep.equal([0, -1, -1]);
    tabs[0]!.focus();
    const key = (target: HTMLElement, name: string) =>
      target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, composed: true }));
    key(tabs[0]!, 'ArrowRight');
    await until(() => root(el).activeElement === tab(el, 'Unanswered'), 'focus on Unanswered');
    expect(tab(el, 'Unanswered').getAttribute('aria-selected')).to.equal('true');
    expect(tab(el, 'Unanswered').tabIndex).to.equal(0);
    expect($(el, '[role="tabpanel"]')!.getAttribute('aria-labelledby')).to.equal('tab-unanswered');
    key(tab(el, 'Unanswered'), 'End');
    await until(() => root(el).activeElement === tab(el, 'My questions'), 'focus on My questions');
    key(tab(el, 'My questions'), 'ArrowRight');
    await until(() => root(el).activeElement === tab(el, 'Answered'), 'focus wraps to Answered');
    key(tab(el, 'Answered'), 'ArrowLeft');
    await until(() => root(el).activeElement === tab(el, 'My questions'), 'focus wraps back');
    key(tab(el, 'My questions'), 'Home');
    await until(() => root(el).activeElement === tab(el, 'Answered'), 'focus on the first tab');
    await ready(el);
    await expect(el).to.be.accessible();
  });

  it('offers answered questions like the one being typed, and opens one with its answer', async () => {
    const title = `How long does swelling last after a knee replacement? ${unique()}`;
    const asker = await visitor('Earlier visitor');
    const asked = await askAs(asker, EXPERT_TOPIC, title);
    await answerAs(await memberSocket(EXPERT), asked, 'Swelling is usually worst in the first two weeks.');

    const el = await mount(EXPERT_TOPIC);
    await ready(el);
    await signIn(el, 'Sam');
    type($<HTMLInputElement>(el, '#ask-title')!, 'how long will the swelling last after my knee replacement');
    await until(() => $$(el, '[part~="similar-title"]').some((summary) => text(summary) === title), 'the suggestion', 10_000);
    expect(text($(el, '#similar-heading'))).to.equal('Similar questions that have an answer');
    await until(() => /\d similar answered questions?/.test(announced(el)), 'the announcement');
    const item = $$<HTMLDetailsElement>(el, '[part~="similar-item"]').find((details) => text(details.querySelector('summary')).includes(title))!;
    item.querySelector('summary')!.click();
    await until(() => item.open, 'the suggestion to open');
    expect(text(item)).to.contain('Swelling is usually worst in the first two weeks.');
    await expect(el).to.be.accessible();
  });

  it('makes the expert’s view an inbox: a private question arrives live at the end, is answered, and reaches the asker badged', async () => {
    const title = `A private question for the inbox ${unique()}`;
    const inbox = await expertInbox();
    expect($$(inbox, '[role="tab"]').map(text)).to.deep.equal(['Inbox', 'Answered']);
    expect(text($(inbox, '[part~="identity"]'))).to.equal('Answering as Dr. Alex Morgan');
    expect($(inbox, '[part~="question-form"]')).to.equal(null);
    await expect(inbox).to.be.accessible();

    const visitorEl = await mount(EXPERT_TOPIC);
    await ready(visitorEl);
    await signIn(visitorEl, 'Rosa');
    $<HTMLInputElement>(visitorEl, 'input[name="visibility"][value="private"]')!.click();
    await ask(visitorEl, title);
    await until(() => question(visitorEl, title), 'the question in My questions');
    await openTab(visitorEl, 'Unanswered');
    await until(() => question(visitorEl, title), 'the question in Unanswered');

    await until(() => question(inbox, title), 'the question in the inbox, live');
    const items = $$(inbox, 'article[part~="question"]');
    expect(items.at(-1)).to.equal(question(inbox, title));
    const arrived = question(inbox, title)!;
    expect(text(arrived.querySelector('[part~="private-marker"]'))).to.equal('Private');
    expect(text(arrived.querySelector('[part~="inbox-age"]'))).to.match(/^waiting (less than a minute|\d+ minutes?)$/);
    await until(() => announced(inbox).includes('1 new question in your inbox'), 'the inbox announcement');
    await expect(inbox).to.be.accessible();

    const field = arrived.querySelector<HTMLTextAreaElement>('textarea')!;
    expect(text(arrived.querySelector(`label[for="${field.id}"]`))).to.equal('Your answer');
    type(field, 'Itching is a normal part of healing for several weeks.');
    const published = oneEvent(inbox, 'kindred-answer-published');
    button(arrived, 'Publish answer').click();
    const { answer } = (await published).detail;
    expect(answer.expert).to.deep.equal({ credential: 'MD, Orthopaedic Surgery' });
    await until(() => !question(inbox, title), 'the question to leave the inbox');
    await until(
      () => (root(inbox).activeElement as HTMLElement | null)?.matches('article[part~="question"], [role="tab"]'),
      'focus on the next question, or the tab',
    );
    await until(() => announced(inbox).includes('Your answer was published.'), 'the publish announcement');

    // The asker: it leaves Unanswered at once, and My questions shows the featured, badged answer.
    await until(() => !question(visitorEl, title), 'the question to leave Unanswered');
    await until(() => announced(visitorEl).includes('An expert answered your question.'), 'the asker told');
    await openTab(visitorEl, 'My questions');
    const mine = question(visitorEl, title)!;
    const featured = mine.querySelector('[part~="expert-answer"]')!;
    expect(text(featured.querySelector('[part~="expert-name"]'))).to.equal('Answer from Dr. Alex Morgan');
    expect(text(featured.querySelector('[part~="credential"]'))).to.equal('MD, Orthopaedic Surgery');
    expect(text(featured.querySelector('[part~="badge"]'))).to.equal('Verified clinician');
    expect(text(featured.querySelector('[part~="answer-body"]'))).to.equal('Itching is a normal part of healing for several weeks.');
    await expect(visitorEl).to.be.accessible();

    // "This helped", for the asker.
    const helped = button(featured, 'This helped');
    expect(helped.getAttribute('aria-pressed')).to.equal('false');
    helped.click();
    await until(() => button(question(visitorEl, title)!, 'This helped').getAttribute('aria-pressed') === 'true', 'This helped pressed');
  });

  it('lets other signed-in visitors mark an answer Helpful, with the count', async () => {
    const topic = EXPERT_TOPIC;
    const title = `Can I kneel on the new knee? ${unique()}`;
    const asked = await askAs(await visitor('Earlier visitor'), topic, title);
    await answerAs(await memberSocket(EXPERT), asked, 'Kneeling may feel odd at first but will not harm the implant.');
    const el = await mount(topic);
    await ready(el);
    // Signed out first: the count, no button.
    if ($(el, '[part~="sign-out"]')) button(root(el), 'Sign out').click();
    await until(() => $(el, '#name'), 'the signed-out view');
    await openTab(el, 'Answered');
    await until(() => question(el, title), 'the answered question');
    expect(question(el, title)!.querySelector('[part~="helpful-button"]')).to.equal(null);
    await signIn(el, 'Sam');
    await until(() => question(el, title)?.querySelector('[part~="helpful-button"]'), 'the Helpful button');
    const helpful = question(el, title)!.querySelector<HTMLButtonElement>('[part~="helpful-button"]')!;
    expect(text(helpful)).to.equal('Helpful (0)');
    expect(helpful.getAttribute('aria-pressed')).to.equal('false');
    helpful.click();
    await until(() => text(question(el, title)!.querySelector('[part~="helpful-button"]')) === 'Helpful (1)', 'the count');
    expect(question(el, title)!.querySelector('[part~="helpful-button"]')!.getAttribute('aria-pressed')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('warns the expert before publishing an answer that describes a real patient', async () => {
    const title = `Is it safe to fly after surgery? ${unique()}`;
    await askAs(await visitor('Earlier visitor'), EXPERT_TOPIC, title);
    const inbox = await expertInbox();
    await until(() => question(inbox, title), 'the question in the inbox');
    const item = question(inbox, title)!;
    const field = item.querySelector<HTMLTextAreaElement>('textarea')!;
    type(field, 'One of my patients flew home two days after surgery and was fine.');
    button(item, 'Publish answer').click();
    await until(() => item.querySelector('[part~="disclosure-warning"]'), 'the disclosure warning');
    const warning = item.querySelector('[part~="disclosure-warning"]')!;
    expect(warning.getAttribute('role')).to.equal('alert');
    expect(text(warning)).to.contain(
      'This looks like it describes a real patient — others will read this answer; remove anything that could identify someone.',
    );
    expect(text(button(warning, 'Publish anyway'))).to.equal('Publish anyway');
    await expect(inbox).to.be.accessible();
    button(warning, 'Edit my answer').click();
    await until(() => root(inbox).activeElement === field, 'focus back in the answer');
    expect(item.querySelector('[part~="disclosure-warning"]')).to.equal(null);
  });

  describe('with first questions held for review', () => {
    const setHeld = async (guest: number): Promise<void> => {
      const moderator = await memberSocket(MODERATOR);
      await moderator.request('mod:settings:set', { settings: { heldFirstPosts: { guest, member: 0 } } });
      moderator.close();
    };
    before(() => setHeld(1));
    after(() => setHeld(0));

    it('keeps a held question visible to its asker with the note, and says so', async () => {
      // A new guest on a page of their own: their first question is held.
      const saved = { ...localStorage };
      localStorage.clear();
      const el = await mountSignedIn(newTopic(), null);
      await ready(el);
      await signIn(el, `Hana ${unique()}`);
      const held = oneEvent(el, 'kindred-question-held');
      await ask(el, 'My first question, held for review');
      expect((await held).detail.question.status).to.equal('held');
      await until(() => question(el, 'My first question, held for review')?.querySelector('[part~="held-note"]'), 'the held note');
      expect(text(question(el, 'My first question, held for review')!.querySelector('[part~="held-note"]'))).to.equal(
        'Waiting for review — only you can see this for now.',
      );
      await until(() => announced(el).includes('Waiting for review'), 'the announcement');
      await expect(el).to.be.accessible();
      await withdraw(el, question(el, 'My first question, held for review')!.id.slice(2));
      localStorage.clear();
      Object.assign(localStorage, saved);
    });
  });
});
