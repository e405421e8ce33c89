package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// healthz answers GET /healthz for load balancers and the test harness: the
// process is up and serving.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
