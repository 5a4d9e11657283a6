// Starts Swagger UI on the sandbox's docs page: the contract from this origin, no online
// validator, and the sandbox's access token pre-authorized so "Try it out" works at once.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  var token = root.getAttribute("data-access-token");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-contract-url"),
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    displayRequestDuration: true,
    onComplete: function () {
      if (token) {
        window.ui.preauthorizeApiKey("bearerAuth", token);
      }
    }
  });
});
