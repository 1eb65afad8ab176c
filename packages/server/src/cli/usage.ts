/** Thrown for a command line that cannot be run as typed; exits with 2 and the command's help. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly help: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const MAIN_HELP = `Usage: kindred <command> [options]

Commands:
  serve                          start the server (the default)
  migrate                        apply database migrations to KINDRED_DB and exit
  site add <id> --origin <url>…  create a site; prints its signing secret once
  site list                      list sites and their settings (never secrets)
  site update <id> [options]     change a site's origins, guests, topics, sign-in and limits
  site rotate-secret <id>        replace a site's signing secret; prints the new one once
  user role <site> <user> <role> give a host-site user a role (expert, moderator, admin)

Run "kindred <command> --help" for a command's options.

Environment:
  KINDRED_DB            SQLite file (default <repo>/data/kindred.db)
  PORT, HOST            where "serve" listens (8080, 0.0.0.0)
  KINDRED_SECRET        key for the server's own guest tokens (≥ 32 chars; share between nodes)
  KINDRED_TRUST_PROXY   1 behind a reverse proxy: the client address is the first X-Forwarded-For entry
  KINDRED_DEMO_ORIGINS, KINDRED_PUBLIC_URL, KINDRED_DEMO_SECRET   see the server README

Exit codes: 0 done, 1 refused or failed (the message says why), 2 the command line was not understood.`;

export const SITE_ADD_HELP = `Usage: kindred site add <id> --origin <url> [--origin <url>…] [--name "Riverside General"]

Creates a site. <id> is a lower-case slug (letters, digits, dashes): the loader's
data-site and the "aud" of host tokens. --origin is the scheme and host of every
page that embeds the widgets. Prints the site's HS256 signing secret ONCE: put it
in the hospital backend's secret store; it is never shown again.`;

export const SITE_LIST_HELP = `Usage: kindred site list [--json]

Lists every site and its settings. Signing secrets are never shown.`;

export const SITE_UPDATE_HELP = `Usage: kindred site update <id> [options]

Options (repeat the list ones as often as needed):
  --name <text>                    display name of the site
  --origin <url>                   replace the allowed origins with the given ones
  --add-origin <url>               allow one more origin
  --remove-origin <url>            stop allowing an origin
  --guests allow|deny              whether visitors may post under a guest name
  --members-only-topic <topic>     make a topic members-only (read and write)
  --public-topic <topic>           make a members-only topic public again
  --disclaimer <text>              the disclaimer widgets show ("" removes it)
  --jwks-url <url>                 verify host tokens (RS256/ES256) with this JWKS ("" goes back to the HS256 secret)
  --trust-token-roles true|false   honour the "roles"/"expertTopics" claims of host tokens
  --rate-limit <name>=<n>/<secs>   override a rate limit, e.g. posts=5/60; <name>=default restores it
  --record-number-pattern <regex>  this hospital's medical record / member number format for the identifier
                                   scan, e.g. "RG-\\d{7}"; repeat for several (they replace the list; "" clears it)

Rate limit names: connects, connectsPerIdentity, signIns, posts, postsDaily, postsPerAddress,
reactions, reactionsPerAddress, reports, reportsPerAddress.
Changes apply to a running server at once (sign-in roles at the member's next sign-in).`;

export const SITE_ROTATE_HELP = `Usage: kindred site rotate-secret <id>

Replaces the site's signing secret and prints the new one ONCE. Tokens signed with
the old secret stop working immediately: update the hospital backend straight away.`;

export const USER_ROLE_HELP = `Usage: kindred user role <site> <user> <role> [--topic <topic>] [--remove]

<user> is the person's id on the host site (the "sub" of its sign-in tokens).
<role> is expert (needs --topic), moderator or admin. --remove takes the role away.
Roles apply from the person's next sign-in or token refresh.`;
