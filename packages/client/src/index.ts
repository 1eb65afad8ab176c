export { CONFIG_KEY, readConfig, type KindredConfig } from './config.js';
export {
  Connection,
  getConnection,
  type ConnectionOptions,
  type ConnectionStatus,
  type QuestionEvent,
  type Refusal,
  type RequestOptions,
} from './connection.js';
export { KindredError, toKindredError } from './errors.js';
export { HostAuth, expiryOf, type HostAuthOptions } from './host-auth.js';
export { IdentityStorage, type StoredIdentity } from './identity-storage.js';
export { newClientId } from './client-id.js';
export {
  ThreadStore,
  getThreadStore,
  type SendState,
  type ThreadListener,
  type ThreadPost,
  type ThreadStatus,
  type ThreadStoreOptions,
} from './thread-store.js';
export {
  QuestionStore,
  getQuestionStore,
  type AskInput,
  type QuestionAnswer,
  type QuestionChange,
  type QuestionItem,
  type QuestionListener,
  type QuestionStatus,
  type QuestionStoreOptions,
} from './question-store.js';
export {
  IntroductionStore,
  getIntroductionStore,
  type Conversation,
  type IntroEvent,
  type IntroMessage,
  type IntroductionChange,
  type IntroductionListener,
  type IntroductionStoreOptions,
  type IntroductionStoreStatus,
  type JoinInput,
} from './introduction-store.js';
