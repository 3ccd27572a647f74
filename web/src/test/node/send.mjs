// Sends every Segment-spec call type to Segmenta with an unmodified tracking library, configured only with the
// host and the write key. Used by TrackingLibrariesTest:
//   node send.mjs <segment|rudder> <baseUrl> <writeKey> <prefix>
// Prints one JSON line {"library", "sent", "errors": [...]} and exits 1 when any call failed.
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';

const [library, baseUrl, writeKey, p] = process.argv.slice(2);
if (!library || !baseUrl || !writeKey || !p) {
  console.error('usage: node send.mjs <segment|rudder> <baseUrl> <writeKey> <prefix>');
  process.exit(2);
}
const errors = [];
let sent = 0;

function segmentClient() {
  const client = new Analytics({ writeKey, host: baseUrl });
  client.on('error', (err) => errors.push(String((err && (err.reason || err.message || err.code)) || err)));
  return {
    call: (type, message) => new Promise((resolve) => client[type](message, (err) => {
      if (err) errors.push(`${type}: ${err.reason || err.message || err}`);
      resolve();
    })),
    close: () => client.closeAndFlush({ timeout: 20000 }),
  };
}

function rudderClient() {
  const client = new RudderAnalytics(writeKey, {
    dataPlaneUrl: baseUrl,
    errorHandler: (err) => errors.push(String((err && err.message) || err)),
  });
  return {
    call: (type, message) => new Promise((resolve) => client[type](message, (err) => {
      if (err) errors.push(`${type}: ${err.message || err}`);
      resolve();
    })),
    close: () => new Promise((resolve) => client.flush((err) => {
      if (err) errors.push(`flush: ${err.message || err}`);
      resolve();
    })),
  };
}

const client = library === 'segment' ? segmentClient() : rudderClient();
const anon = `${p}-anon`;
const anon2 = `${p}-anon2`;
const user = `${p}-user`;
const context = { ip: '203.0.113.7', locale: 'fr-FR', campaign: { source: 'newsletter', medium: 'email', name: `${p}-spring` } };

// The order calls arrive in does not matter: an anonymous call after the merge goes to the user directly.
const steps = [
  // Before sign-up: only an anonymous id.
  [['page', { anonymousId: anon, name: `${p}-Pricing`, category: 'Marketing', properties: { path: '/pricing' }, context }],
   ['screen', { anonymousId: anon, name: `${p}-Home`, properties: { variant: 'b' } }],
   ['track', { anonymousId: anon, event: 'Clicked CTA', messageId: `${p}-dup`, properties: { button: 'signup' } }],
   ['track', { anonymousId: anon, event: 'Clicked CTA', messageId: `${p}-dup`, properties: { button: 'signup' } }],
   ['identify', { anonymousId: anon, traits: { plan: 'free', referrer: 'ad' } }],
   ['page', { anonymousId: anon2, name: `${p}-Landing`, properties: { path: '/' } }]],
  // Sign-up: identify ties the anonymous id to the user.
  [['identify', { userId: user, anonymousId: anon, traits: { email: `${p}@example.com`, name: 'Ann', plan: 'pro' } }],
   ['track', { userId: user, event: 'Signed Up', timestamp: new Date('2025-01-15T10:00:00Z'), properties: { source: library } }],
   ['group', { userId: user, groupId: `${p}-acme`, traits: { name: 'Acme', employees: 50 } }],
   ['page', { userId: user, name: `${p}-Docs`, category: 'Docs' }]],
  // Another device's anonymous id, aliased to the user; then a replay of an old message and an anonymous call after the merge.
  [['alias', { userId: user, previousId: anon2 }],
   ['track', { anonymousId: anon, event: 'Clicked CTA', messageId: `${p}-dup`, properties: { button: 'signup' } }],
   ['track', { anonymousId: anon, event: 'Opened App', properties: { after: 'merge' } }]],
];

const delivered = [];
for (const step of steps) {
  for (const [type, message] of step) {
    delivered.push(client.call(type, message));
    sent++;
  }
}
await client.close();
await Promise.all(delivered);
console.log(JSON.stringify({ library, sent, errors }));
process.exit(errors.length ? 1 : 0);
