// Start Swagger UI on the API's own OpenAPI document (kept out of the page: the CSP forbids
// inline scripts).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false
  });
})();
