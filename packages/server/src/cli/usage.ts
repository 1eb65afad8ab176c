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
  expert add <site> <user> …     make a clinician an expert of a topic, with the credential their badge shows
  expert list <site>             list a site's experts (never their NPIs)
  expert remove <site> <user> …  take a topic away from an expert
  expert digest <site>           email experts the questions waiting more than a day (KINDRED_SMTP_URL)
  community add <site> <id> …    create or change an introductions community: topics, stages, languages, schedule
  community list <site>          list a site's introductions communities
  match run <site> <community>   run a round of introductions now
  match rounds <site> <community>  the latest rounds and their figures

Run "kindred <command> --help" for a command's options.

Environment:
  KINDRED_DB            SQLite file (default <repo>/data/kindred.db)
  PORT, HOST            where "serve" listens (8080, 0.0.0.0)
  KINDRED_SECRET        key for the server's own guest tokens (≥ 32 chars; share between nodes)
  KINDRED_TRUST_PROXY   1 behind a reverse proxy: the client address is the first X-Forwarded-For entry
  KINDRED_SMTP_URL, KINDRED_SMTP_FROM   the SMTP server for alerts, answer notifications and digests
  KINDRED_EXPERT_DIGEST_HOUR            the hour (UTC) "serve" sends the expert digest every day
  KINDRED_ROUND_POLL_MS                 how often "serve" looks for rounds run by "match run" (5000)
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

export const EXPERT_ADD_HELP = `Usage: kindred expert add <site> <user> --topic <topic> --credential <text> [--npi <10 digits>] [--email <address>]

Makes <user> (their id on the host site, the "sub" of its sign-in tokens) an expert of
<topic>: they see the topic's questions as an inbox and their answers are published
without review, under a "Verified clinician" badge that shows --credential
(e.g. "MD, Cardiology"). --npi is checked (10 digits, Luhn check digit over 80840 and
the first nine) and kept for your records; it is never shown. --email receives the
daily digest of questions waiting more than a day. Running it again updates the profile.
Applies from the person's next sign-in or token refresh.`;

export const EXPERT_LIST_HELP = `Usage: kindred expert list <site> [--json]

Lists the site's experts by topic, with their credential and digest address. NPIs are not shown.`;

export const EXPERT_REMOVE_HELP = `Usage: kindred expert remove <site> <user> --topic <topic>

Takes <topic> away from the expert (role and profile). Answers they wrote keep their badge.`;

export const EXPERT_DIGEST_HELP = `Usage: kindred expert digest <site>

Emails each expert of <site> who has an --email the number of questions in their topics
that have waited more than a day, through KINDRED_SMTP_URL. "serve" does this every day
at KINDRED_EXPERT_DIGEST_HOUR (UTC) when that is set.`;

export const COMMUNITY_ADD_HELP = `Usage: kindred community add <site> <id> --name <text> --topic <id=Label>… [--stage <id=Label>…]
                             [--language <code>…] [--rounds-every <hours>|off]

Creates the introductions community <id> (the widget's community="<id>") or replaces its settings.
  --name           what members see, e.g. "Joint replacement"
  --topic          a topic or condition members may choose, e.g. knee-replacement="Knee replacement" (repeat)
  --stage          an optional stage of a topic, e.g. after-surgery="Recovering after surgery" (repeat)
  --language       a language members may choose (repeat; default en)
  --rounds-every   hours between scheduled rounds (168 is weekly; default), or off for "match run" only
Profiles keep topics that are later taken off the list, but rounds ignore them.`;

export const COMMUNITY_LIST_HELP = `Usage: kindred community list <site> [--json]

Lists the site's introductions communities, their topics, stages, languages and when the next round is due.`;

export const MATCH_RUN_HELP = `Usage: kindred match run <site> <community> [--json]

Runs a round of introductions now: members who opted in, are not paused, whose about-me was
approved and who have no pending introduction are paired, never with someone they were
introduced to before or who blocked them. A running server tells both members within
KINDRED_ROUND_POLL_MS. Prints the round's figures (never names).`;

export const MATCH_ROUNDS_HELP = `Usage: kindred match rounds <site> <community> [--limit N] [--json]

The latest rounds of a community, newest first: when, members considered, pairs proposed, time taken.`;
