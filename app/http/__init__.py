"""The HTTP edge, shared by every router: route class, middleware, the server's
protocol bounds, list cursors and the OpenAPI finishing. Imports no domain."""
