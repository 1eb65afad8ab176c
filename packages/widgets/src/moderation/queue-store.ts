import type {
  ModerationItem,
  ModerationQueue,
  ModerationServerEvents,
  MemberStanding,
} from '@kindred/protocol';
import type { Connection } from '@kindred/client';

export type QueueOrder = 'oldest' | 'urgent';
export type ModerationEvent = ModerationServerEvents['mod:event'];

/** What changed, so the element can announce it: items that arrived live, and crisis alerts. */
export interface QueueChange {
  arrived: ModerationItem[];
  alerts: ModerationItem[];
}

/**
 * The moderator's queues for one connection: one page at a time of the
 * selected queue, the counts of all three, and live `mod:event`s applied in
 * place (added, updated, resolved, crisis alerts), so nothing needs a reload.
 */
export class QueueStore {
  queue: ModerationQueue = 'held';
  order: QueueOrder = 'urgent';
  items: ModerationItem[] = [];
  counts: Record<ModerationQueue, number> = { held: 0, reported: 0, crisis: 0 };
  nextCursor: string | null = null;
  status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  error: unknown = null;
  /** Ids already counted out of a queue (by our decision and by its event), so none is subtracted twice. */
  #resolved = new Set<string>();
  /** Items that arrived live (queue and id), so a repeat event (an alert after `item.added`) does not count them again. */
  #counted = new Set<string>();
  #loadId = 0;
  #onChange: (change: QueueChange) => void;
  readonly connection: Connection;

  constructor(connection: Connection, onChange: (change: QueueChange) => void) {
    this.connection = connection;
    this.#onChange = onChange;
    connection.socket.on('mod:event', this.#onEvent);
  }

  close(): void {
    this.connection.socket.off('mod:event', this.#onEvent);
  }

  /** Shows `queue` in `order` from its first page. */
  async load(queue = this.queue, order = this.order): Promise<void> {
    const loadId = ++this.#loadId;
    this.queue = queue;
    this.order = order;
    this.status = 'loading';
    this.#onChange({ arrived: [], alerts: [] });
    try {
      const page = await this.connection.request('mod:queue', { queue, order });
      if (loadId !== this.#loadId) return;
      this.items = sortItems(page.items, order);
      this.nextCursor = page.nextCursor;
      this.counts = { ...page.counts };
      this.status = 'ready';
      this.error = null;
    } catch (error) {
      if (loadId !== this.#loadId) return;
      this.status = 'error';
      this.error = error;
    }
    this.#onChange({ arrived: [], alerts: [] });
  }

  /** Appends the next page; resolves with the ids it added. */
  async loadMore(): Promise<string[]> {
    if (!this.nextCursor) return [];
    const loadId = this.#loadId;
    const page = await this.connection.request('mod:queue', { queue: this.queue, order: this.order, cursor: this.nextCursor });
    if (loadId !== this.#loadId) return [];
    const known = new Set(this.items.map((item) => item.post.id));
    const added = page.items.filter((item) => !known.has(item.post.id));
    this.items = [...this.items, ...added];
    this.nextCursor = page.nextCursor;
    this.counts = { ...page.counts };
    this.#onChange({ arrived: [], alerts: [] });
    return added.map((item) => item.post.id);
  }

  /** Takes an item out after a decision (approve, reject, remove, or an edit that settled it). */
  resolve(item: ModerationItem): void {
    this.#remove(item.post.id, item.queue);
    this.#onChange({ arrived: [], alerts: [] });
  }

  /** Replaces an item (e.g. after an edit that leaves it in the queue). */
  update(item: ModerationItem): void {
    this.items = this.items.map((each) => (each.post.id === item.post.id ? item : each));
    this.#onChange({ arrived: [], alerts: [] });
  }

  /** Shows a member's new standing on every item of theirs. */
  setStanding(userId: string, standing: MemberStanding): void {
    this.items = this.items.map((item) => (item.author.id === userId ? { ...item, author: { ...item.author, standing } } : item));
    this.#onChange({ arrived: [], alerts: [] });
  }

  #onEvent = (event: ModerationEvent): void => {
    if (!event || typeof event !== 'object' || !event.item?.post) return;
    const { item } = event;
    const change: QueueChange = { arrived: [], alerts: [] };
    const shown = this.items.find((each) => each.post.id === item.post.id);
    if (event.type === 'item.resolved') {
      this.#remove(item.post.id, item.queue);
    } else if (shown && shown.queue === item.queue) {
      this.items = sortItems(
        this.items.map((each) => (each.post.id === item.post.id ? item : each)),
        this.order,
      );
    } else {
      if (shown) this.#remove(shown.post.id, shown.queue);
      const isNew = !shown && !this.#counted.has(`${item.queue} ${item.post.id}`);
      if (isNew) {
        this.#counted.add(`${item.queue} ${item.post.id}`);
        this.#resolved.delete(item.post.id);
        this.counts = { ...this.counts, [item.queue]: this.counts[item.queue] + 1 };
        if (event.type === 'item.added') change.arrived.push(item);
      }
      if (item.queue === this.queue && this.status === 'ready') this.items = sortItems([...this.items, item], this.order);
    }
    if (event.type === 'alert') change.alerts.push(item);
    this.#onChange(change);
  };

  #remove(postId: string, queue: ModerationQueue): void {
    this.items = this.items.filter((item) => item.post.id !== postId);
    if (this.#resolved.has(postId)) return;
    this.#resolved.add(postId);
    this.#counted.delete(`${queue} ${postId}`);
    if (queue in this.counts) this.counts = { ...this.counts, [queue]: Math.max(0, this.counts[queue] - 1) };
  }
}

/** Most urgent first (then the longest waiting), or simply the longest waiting first. */
export function sortItems(items: ModerationItem[], order: QueueOrder): ModerationItem[] {
  const age = (a: ModerationItem, b: ModerationItem): number => Date.parse(a.enteredAt) - Date.parse(b.enteredAt);
  return [...items].sort(order === 'urgent' ? (a, b) => b.urgency - a.urgency || age(a, b) : age);
}
