/**
 * English strings of `<kindred-ask-expert>`, looked up before the shared
 * table (`i18n/en.ts`, which words the errors, the sign-in and the report
 * form). Kept apart so they load only with this element's chunk; the crisis
 * panel's lines about "your post" are worded here for questions. Keys ending
 * in `_one`/`_other` are chosen by Intl.PluralRules from `count`.
 */
export const askExpertEn = {
  title: 'Ask an expert',
  loading: 'Loading questions…',
  loadError: 'The questions could not be loaded.',
  medicalNote:
    'Answers are general information, not medical advice, and do not create a clinician–patient relationship. In an emergency call {emergency}.',
  responseTime: 'Experts here usually answer within {duration}.',
  responseTimeUnknown: 'Answers may take a few days.',
  about: 'about {duration}',
  waiting: 'waiting {duration}',
  waitingMoments: 'waiting less than a minute',

  nameHint: 'To ask a question, choose a display name. Others will see it.',
  askingAs: 'Asking as {name}',
  answeringAs: 'Answering as {name}',
  guestsDenied: 'Sign in on {site} to ask a question.',

  askHeading: 'Ask a question',
  titleLabel: 'Your question',
  titleHint: 'One line, {min} to {max} characters.',
  titleLength: 'Use {min} to {max} characters.',
  detailsLabel: 'Details (optional)',
  visibility: 'Who can see it',
  visibility_public: 'Public — anyone can read it and the answer',
  visibility_private: "Private — only you and this topic's experts",
  notify: 'Email me when an expert answers',
  email: 'Email address',
  emailConsent: "We'll use this address only to tell you about an answer, then delete it.",
  ask: 'Ask',
  asked: 'Your question was sent.',
  similarHeading: 'Similar questions that have an answer',
  similarCount_one: '{count} similar answered question',
  similarCount_other: '{count} similar answered questions',

  tabs: 'Questions',
  tab_answered: 'Answered',
  tab_unanswered: 'Unanswered',
  tab_mine: 'My questions',
  tab_inbox: 'Inbox',
  empty_answered: 'No answered questions yet.',
  empty_unanswered: 'No questions are waiting for an answer.',
  empty_mine: "You haven't asked a question here yet.",
  empty_inbox: 'Your inbox is empty: no questions are waiting for an answer.',
  askedBy: 'Asked by {name}',
  private: 'Private',
  badge: 'Verified clinician',
  answerBy: 'Answer from {name}',
  followUps: 'Follow-ups',
  followUpBy: 'Follow-up from {name}',
  thisHelped: 'This helped',
  helpful: 'Helpful ({count})',
  answerHeld: 'Your answer is waiting for review before it appears.',

  addFollowUp: 'Add a follow-up',
  followUpLabel: 'Your follow-up',
  sendFollowUp: 'Send follow-up',
  followUpSent: 'Your follow-up was sent.',
  answerLabel: 'Your answer',
  publishAnswer: 'Publish answer',
  answerPublished: 'Your answer was published.',
  deleteQuestion: 'Delete my question',
  confirmDelete: 'Delete this question and its answers?',
  questionDeleted: 'Question deleted.',

  editMyQuestion: 'Edit my question',
  askAnyway: 'Ask anyway',
  editMyAnswer: 'Edit my answer',
  publishAnyway: 'Publish anyway',
  editMyFollowUp: 'Edit my follow-up',
  sendAnyway: 'Send anyway',
  disclosure: 'This looks like it describes a real patient — others will read this answer; remove anything that could identify someone.',
  crisisStillPost: 'You can still send it if you want to.',
  crisisReview: 'A member of our team will read it before it appears.',

  expertAnswered: 'An expert answered your question.',
  newQuestions_one: '{count} new question',
  newQuestions_other: '{count} new questions',
  inboxArrived_one: '{count} new question in your inbox',
  inboxArrived_other: '{count} new questions in your inbox',
  questionsAnswered_one: '{count} question was answered.',
  questionsAnswered_other: '{count} questions were answered.',
};

export type AskExpertMessages = typeof askExpertEn;
