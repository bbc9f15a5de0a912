// The Feedback service's TypeScript client: openapi-fetch, typed by the types that
// openapi-typescript generated from openapi/openapi.json (./schema.d.ts; ./scripts/clients).
import createClient from "openapi-fetch";

export { createClient };

/** A client for the service at `baseUrl` that sends `apiKey` as its bearer token. */
export function createFeedbackClient({ apiKey, ...options }) {
  const client = createClient(options);
  if (apiKey) {
    client.use({
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${apiKey}`);
        return request;
      },
    });
  }
  return client;
}
