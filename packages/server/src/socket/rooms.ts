/** One room per site and topic; NUL cannot appear in a slug, so names never collide. */
export function topicRoom(siteId: string, topic: string): string {
  return `${siteId}\u0000${topic}`;
}
