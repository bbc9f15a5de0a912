import createClient, { type Client, type ClientOptions } from "openapi-fetch";

import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };
export { createClient };

/** Every schema of the document by name: `Schemas["FeedbackIn"]`. */
export type Schemas = components["schemas"];
/** An RFC 9457 error (`application/problem+json`): what `error` holds on every 4xx and 5xx. */
export type Problem = components["schemas"]["Problem"];

/**
 * The answers the client's types cover: JSON, `application/problem+json` included. A CSV or
 * NDJSON answer (`format=csv`, `GET /v1/feedback/export`) is read with
 * `parseAs: "text"` or `parseAs: "stream"`.
 */
export type JsonMediaType = `application/${string}json`;

export type FeedbackClient = Client<paths, JsonMediaType>;

export interface FeedbackClientOptions extends ClientOptions {
  /** An API key (`fbk_...`), sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
}

/** A client for the service at `baseUrl` that sends `apiKey` as its bearer token. */
export declare function createFeedbackClient(options: FeedbackClientOptions): FeedbackClient;
