// Starts the vendored Swagger UI on /docs (a file, not an inline script, so the page's CSP can forbid inline code).
SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", validatorUrl: null, deepLinking: true, layout: "BaseLayout"});
