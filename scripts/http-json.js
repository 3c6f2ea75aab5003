/**
 * An HTTP call with JSON in and out, for the scripts that drive a real server (the crash and
 * cluster tests): resolves `{status, json, text}` (`json` undefined when the body isn't JSON).
 */
import { Buffer } from 'node:buffer';
import http from 'node:http';

/**
 * @param {string} url the server's base URL
 * @param {string} method
 * @param {string} path
 * @param {string} key the API key, sent as a Bearer token
 * @param {unknown} [body] sent as JSON when given
 * @param {number} [timeoutMs] the socket's idle limit
 * @returns {Promise<{status: number | undefined, json: any, text: string}>}
 */
export function callJson(url, method, path, key, body, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const u = new URL(path, url);
    const headers = { authorization: `Bearer ${key}`, ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) };
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, json, text });
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(data);
  });
}
