/** One room per site and topic; NUL cannot appear in a slug, so names never collide. */
export function topicRoom(siteId: string, topic: string): string {
  return `${siteId}\u0000${topic}`;
}

/** Every connection of a site that is not a signed-in member; members-only events skip it. */
export function nonMemberRoom(siteId: string): string {
  return `${siteId}\u0000\u0000non-members`;
}

/** Connections whose identity holds the moderator or admin role for the site: they receive `mod:event`. */
export function moderatorRoom(siteId: string): string {
  return `${siteId}\u0000\u0000moderators`;
}

/** Connections following a topic's questions; the relay picks from them who may see each question. */
export function questionRoom(siteId: string, topic: string): string {
  return `${siteId}\u0000\u0000questions\u0000${topic}`;
}

/** Every connection of one person on a site: introductions reach them here, whichever page or node they are on. */
export function memberRoom(siteId: string, userId: string): string {
  return `${siteId}\u0000\u0000user\u0000${userId}`;
}
