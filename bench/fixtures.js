/**
 * Inputs shared by the render benchmarks (render.js) and the server benchmark (server.js), so
 * both measure the same render: the sample Pick_Location component, five Location records,
 * channel FacebookEnhanced (a Quick Replies payload).
 */

/** Five Location records, as a render request's `Locations` parameter. */
export const LOCATIONS = ['Downtown Store', 'Airport Mall', 'Riverside Plaza', 'Harbor Point', 'North Gate'].map((Name, i) => ({
  Id: `131000000000${String(i + 1).padStart(3, '0')}AAA`,
  Name,
  LocationType: 'Site',
  IsMobile: false,
  Latitude: `37.77${i}`,
  Longitude: `-122.41${i}`,
}));

/** The render request of both benchmarks. */
export const RENDER_REQUEST = { channel: 'FacebookEnhanced', parameters: { Locations: LOCATIONS }, now: '2026-11-21T10:00:00Z', timezone: 'America/New_York', locale: 'en-US' };
