package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// bodyLimit returns the cap on the body of route r's requests and its
// config key: max_body_bytes for a batch lookup, max_upload_bytes for an
// import; 0 for the routes that take no large body.
func bodyLimit(r route, lim *LimitOptions) (int64, string) {
	switch r.name {
	case "lookup_batch":
		return lim.MaxBodyBytes, keyMaxBodyBytes
	case "import", "staff_import":
		return lim.MaxUploadBytes, keyMaxUploadBytes
	}
	return 0, ""
}

// declaredTooLarge returns the 413 of a request whose Content-Length says
// at once that its body is over max, before the request takes a heavy
// slot, and closes its connection after the answer: the body is never read
// (nor sent, by a client that waits for 100 Continue), so an oversized
// upload costs the server one header. A body of unknown length (chunked)
// is cut where it passes max, as it is read.
func declaredTooLarge(c echo.Context, max int64, key string) error {
	n := c.Request().ContentLength
	c.Response().Header().Set("Connection", "close")
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Limit: key,
		Message: fmt.Sprintf("the request body is larger than %d bytes (%s): its Content-Length is %d", max, key, n)}
}
