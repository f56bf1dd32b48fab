package server

import "github.com/labstack/echo/v4"

// keyName returns the name of the API key the request of c was
// authorized with, "" when it carried no credential: the request log's
// "key". (A stub until the roles work of issue 16 lands: then it returns
// principalOf(c)'s key name when principalOf(c) is non-nil.)
func keyName(c echo.Context) string { return "" }
