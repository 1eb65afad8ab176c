// Signs a Kindred host token (HS256) for the visitor who is signed in on the hospital's site.
// Usage: SITE_ID=riverside SITE_SECRET=... USER_ID=ehr-1001 USER_NAME="Maria Lopez" node sign-token.mjs
// Needs the "jose" package (npm install jose).
import { SignJWT } from 'jose';

const { SITE_ID, SITE_SECRET, USER_ID, USER_NAME } = process.env;
if (!SITE_ID || !SITE_SECRET || !USER_ID || !USER_NAME) {
  console.error('Set SITE_ID, SITE_SECRET, USER_ID and USER_NAME.');
  process.exit(2);
}

const token = await new SignJWT({ name: USER_NAME })
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(USER_ID) // your own, stable user id
  .setAudience(SITE_ID) // the Kindred site id
  .setIssuedAt()
  .setExpirationTime('10m') // at most 60 minutes
  // The secret's text is the key, exactly as "kindred site add" printed it.
  .sign(new TextEncoder().encode(SITE_SECRET));

process.stdout.write(`${token}\n`);
