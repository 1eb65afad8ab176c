import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Ordered; never edit a released entry, append a new one. */
export const migrations: Migration[] = [
  {
    version: 1,
    name: 'sites, users, posts, reactions, topic events',
    sql: `
      CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        origins TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
      );
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES sites(id),
        kind TEXT NOT NULL CHECK (kind IN ('guest', 'member')),
        external_id TEXT,
        display_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        CHECK ((kind = 'guest') = (external_id IS NULL))
      );
      CREATE UNIQUE INDEX users_by_external_id ON users(site_id, external_id) WHERE external_id IS NOT NULL;
      CREATE TABLE posts (
        n INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        site_id TEXT NOT NULL REFERENCES sites(id),
        topic TEXT NOT NULL,
        client_id TEXT NOT NULL,
        author_id TEXT NOT NULL REFERENCES users(id),
        parent_id TEXT REFERENCES posts(id),
        root_id TEXT REFERENCES posts(id),
        depth INTEGER NOT NULL DEFAULT 0,
        reply_to_name TEXT,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT,
        deleted_at TEXT,
        helpful INTEGER NOT NULL DEFAULT 0,
        thanks INTEGER NOT NULL DEFAULT 0,
        metoo INTEGER NOT NULL DEFAULT 0,
        reply_count INTEGER NOT NULL DEFAULT 0,
        UNIQUE (site_id, author_id, client_id)
      );
      CREATE INDEX posts_top_level ON posts(site_id, topic, root_id, n);
      CREATE INDEX posts_top_level_helpful ON posts(site_id, topic, root_id, helpful, n);
      CREATE INDEX posts_by_root ON posts(root_id, n);
      CREATE TABLE reactions (
        post_id TEXT NOT NULL REFERENCES posts(id),
        user_id TEXT NOT NULL REFERENCES users(id),
        reaction TEXT NOT NULL CHECK (reaction IN ('helpful', 'thanks', 'metoo')),
        created_at TEXT NOT NULL,
        PRIMARY KEY (post_id, user_id, reaction)
      ) WITHOUT ROWID;
      CREATE INDEX reactions_by_user ON reactions(user_id, post_id);
      CREATE TABLE topics (
        site_id TEXT NOT NULL REFERENCES sites(id),
        topic TEXT NOT NULL,
        seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (site_id, topic)
      ) WITHOUT ROWID;
      CREATE TABLE topic_events (
        site_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        post_id TEXT NOT NULL REFERENCES posts(id),
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (site_id, topic, seq)
      ) WITHOUT ROWID;
      CREATE INDEX topic_events_by_post ON topic_events(post_id);
      CREATE TABLE server_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'site settings and signing secrets, user roles, daily address salts',
    sql: `
      ALTER TABLE sites ADD COLUMN guests_allowed INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE sites ADD COLUMN members_only_topics TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE sites ADD COLUMN disclaimer TEXT;
      ALTER TABLE sites ADD COLUMN rate_limits TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE sites ADD COLUMN jwks_url TEXT;
      ALTER TABLE sites ADD COLUMN trust_token_roles INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sites ADD COLUMN signing_secret TEXT;
      CREATE TABLE user_roles (
        site_id TEXT NOT NULL REFERENCES sites(id),
        external_id TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('member', 'expert', 'moderator', 'admin')),
        topic TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        PRIMARY KEY (site_id, external_id, role, topic)
      ) WITHOUT ROWID;
      CREATE TABLE address_salts (
        day TEXT PRIMARY KEY,
        salt TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'moderation: post status, queue items, reports, member standing, settings, audit log',
    sql: `
      ALTER TABLE posts ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
        CHECK (status IN ('published', 'held', 'rejected', 'removed'));
      ALTER TABLE posts ADD COLUMN moderation_reason TEXT;
      CREATE INDEX posts_by_author ON posts(author_id, status);
      ALTER TABLE sites ADD COLUMN moderation TEXT NOT NULL DEFAULT '{}';
      CREATE TABLE moderation_items (
        n INTEGER PRIMARY KEY AUTOINCREMENT,
        post_id TEXT NOT NULL UNIQUE REFERENCES posts(id),
        site_id TEXT NOT NULL REFERENCES sites(id),
        queue TEXT NOT NULL CHECK (queue IN ('held', 'reported', 'crisis')),
        reasons TEXT NOT NULL DEFAULT '[]',
        findings TEXT NOT NULL DEFAULT '[]',
        urgency INTEGER NOT NULL,
        entered_at TEXT NOT NULL,
        resolved_at TEXT
      );
      CREATE INDEX moderation_items_open ON moderation_items(site_id, queue, resolved_at, urgency, n);
      CREATE TABLE reports (
        post_id TEXT NOT NULL REFERENCES posts(id),
        reporter_id TEXT NOT NULL REFERENCES users(id),
        reason TEXT NOT NULL,
        note TEXT,
        created_at TEXT NOT NULL,
        settled_at TEXT,
        PRIMARY KEY (post_id, reporter_id)
      ) WITHOUT ROWID;
      CREATE TABLE member_standing (
        user_id TEXT PRIMARY KEY REFERENCES users(id),
        standing TEXT NOT NULL CHECK (standing IN ('suspended', 'banned')),
        until TEXT,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE TABLE audit_log (
        n INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        site_id TEXT NOT NULL REFERENCES sites(id),
        at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        action TEXT NOT NULL,
        target_kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        reason TEXT,
        before TEXT NOT NULL,
        after TEXT NOT NULL
      );
      CREATE INDEX audit_log_by_site ON audit_log(site_id, n);
      CREATE INDEX audit_log_by_target ON audit_log(target_id);
    `,
  },
  {
    version: 4,
    name: 'ask-an-expert: expert profiles, questions, answers, question search',
    sql: `
      CREATE TABLE experts (
        site_id TEXT NOT NULL REFERENCES sites(id),
        external_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        credential TEXT NOT NULL,
        npi TEXT,
        email TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (site_id, external_id, topic)
      ) WITHOUT ROWID;
      CREATE TABLE questions (
        post_id TEXT PRIMARY KEY REFERENCES posts(id),
        site_id TEXT NOT NULL REFERENCES sites(id),
        topic TEXT NOT NULL,
        visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
        notify_email TEXT,
        notify_page TEXT
      );
      CREATE INDEX questions_by_topic ON questions(site_id, topic);
      CREATE TABLE answers (
        post_id TEXT PRIMARY KEY REFERENCES posts(id),
        question_id TEXT NOT NULL REFERENCES questions(post_id),
        by_expert INTEGER NOT NULL CHECK (by_expert IN (0, 1)),
        credential TEXT,
        helped_asker INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX answers_by_question ON answers(question_id, by_expert);
      -- Full-text search over question text for "similar questions"; rowid is the question's posts.n.
      CREATE VIRTUAL TABLE question_text USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2');
      CREATE TRIGGER question_text_insert AFTER INSERT ON questions BEGIN
        INSERT INTO question_text (rowid, body) SELECT n, body FROM posts WHERE id = NEW.post_id;
      END;
      -- Edits, moderator edits and deletions (body '') keep the index in step with the post.
      CREATE TRIGGER question_text_update AFTER UPDATE OF body ON posts
        WHEN NEW.root_id IS NULL AND NEW.topic LIKE 'qa:%' BEGIN
        UPDATE question_text SET body = NEW.body WHERE rowid = NEW.n;
      END;
      -- A deleted question keeps no answer-email address.
      CREATE TRIGGER question_notify_forget AFTER UPDATE OF deleted_at ON posts
        WHEN NEW.deleted_at IS NOT NULL AND NEW.root_id IS NULL AND NEW.topic LIKE 'qa:%' BEGIN
        UPDATE questions SET notify_email = NULL, notify_page = NULL WHERE post_id = NEW.id;
      END;
    `,
  },
  {
    version: 5,
    name: 'introductions: communities, member profiles, rounds, introductions, blocks',
    sql: `
      -- Option lists are JSON text ([{id,label}], [code]): read and written whole, never queried inside.
      CREATE TABLE communities (
        site_id TEXT NOT NULL REFERENCES sites(id),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        topics TEXT NOT NULL DEFAULT '[]',
        stages TEXT NOT NULL DEFAULT '[]',
        languages TEXT NOT NULL DEFAULT '[]',
        round_every_hours INTEGER CHECK (round_every_hours IS NULL OR round_every_hours > 0),
        next_round_at TEXT,
        created_at TEXT NOT NULL,
        CHECK ((round_every_hours IS NULL) = (next_round_at IS NULL)),
        PRIMARY KEY (site_id, id)
      ) WITHOUT ROWID;
      CREATE TABLE intro_profiles (
        site_id TEXT NOT NULL,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users(id),
        role TEXT NOT NULL CHECK (role IN ('patient', 'caregiver', 'mentor')),
        wants TEXT NOT NULL CHECK (wants IN ('peer', 'mentor')),
        topics TEXT NOT NULL DEFAULT '[]',
        languages TEXT NOT NULL DEFAULT '[]',
        about_post_id TEXT REFERENCES posts(id),
        paused_at TEXT,
        joined_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (site_id, community, user_id),
        FOREIGN KEY (site_id, community) REFERENCES communities(site_id, id)
      ) WITHOUT ROWID;
      CREATE TABLE intro_rounds (
        n INTEGER PRIMARY KEY AUTOINCREMENT,
        site_id TEXT NOT NULL,
        community TEXT NOT NULL,
        triggered_by TEXT NOT NULL CHECK (triggered_by IN ('schedule', 'admin')),
        started_at TEXT NOT NULL,
        members INTEGER NOT NULL,
        candidate_edges INTEGER NOT NULL,
        pairs INTEGER NOT NULL,
        total_score REAL NOT NULL,
        took_ms REAL NOT NULL,
        algorithm TEXT NOT NULL CHECK (algorithm IN ('exact', 'approximate')),
        FOREIGN KEY (site_id, community) REFERENCES communities(site_id, id)
      );
      CREATE INDEX intro_rounds_by_community ON intro_rounds(site_id, community, n);
      -- One row per pair, members ordered by id, so a pair has one spelling for past-pair checks.
      CREATE TABLE introductions (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL,
        community TEXT NOT NULL,
        round_n INTEGER NOT NULL REFERENCES intro_rounds(n),
        member_a TEXT NOT NULL REFERENCES users(id),
        member_b TEXT NOT NULL REFERENCES users(id),
        a_answer TEXT CHECK (a_answer IN ('accepted', 'declined')),
        b_answer TEXT CHECK (b_answer IN ('accepted', 'declined')),
        score REAL NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'connected', 'declined', 'expired', 'ended')),
        proposed_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        connected_at TEXT,
        ended_at TEXT,
        ended_by TEXT REFERENCES users(id),
        CHECK (member_a < member_b),
        FOREIGN KEY (site_id, community) REFERENCES communities(site_id, id)
      );
      CREATE INDEX introductions_by_member_a ON introductions(site_id, community, member_a, state, expires_at);
      CREATE INDEX introductions_by_member_b ON introductions(site_id, community, member_b, state, expires_at);
      CREATE INDEX introductions_by_round ON introductions(round_n);
      CREATE INDEX introductions_pending ON introductions(site_id, community, state, expires_at);
      -- "Never introduce us": applies on the whole site; kept with the community it was made in,
      -- so leaving one community forgets only the blocks made there.
      CREATE TABLE intro_blocks (
        site_id TEXT NOT NULL REFERENCES sites(id),
        community TEXT NOT NULL,
        blocker_id TEXT NOT NULL REFERENCES users(id),
        blocked_id TEXT NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (site_id, blocker_id, blocked_id, community)
      ) WITHOUT ROWID;
    `,
  },
];

/**
 * Applies every migration newer than the database, each in its own IMMEDIATE
 * transaction so two processes starting at once cannot both apply one.
 */
export function applyMigrations(db: Database.Database, list: Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const isApplied = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    const apply = db.transaction(() => {
      if (isApplied.get(migration.version)) return false;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      return true;
    });
    if (apply.immediate()) applied.push(migration.version);
  }
  return applied;
}
