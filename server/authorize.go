package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gridmap/gridmap/auth"
	"github.com/labstack/echo/v4"
)

// AuthOptions say who may call which route (see the access classes of
// routes.go and the roles of package auth).
type AuthOptions struct {
	// AdminToken is the bootstrap bearer token (gridmap serve
	// --admin-token, GRIDMAP_ADMIN_TOKEN): role admin, beside the keys of
	// KeysFile. Empty: none.
	AdminToken string
	// KeysFile is the keys file of gridmap keys (config auth.keys_file,
	// DATA/keys.json). It is read again when it changes, within a second,
	// and on ReloadKeys. Empty: no keys, only AdminToken.
	KeysFile string
	// RequireKeys makes the read APIs (lookups, tiles, search, versions,
	// config, events) need a key of any role; by default they are open to
	// anonymous callers, as before keys existed.
	RequireKeys bool
}

// principalKey is where authorize keeps the caller in the echo context,
// for the middleware after it (limits: the rate key; observe: the key's
// name in the log line). Set only when a credential was presented.
const principalKey = "gridmap.principal"

// keyParam is the query parameter that may carry a token on GET read
// routes (map libraries cannot set headers on tile requests); the
// parameter checks of the read handlers must let it through.
const keyParam = "key"

// principalOf returns who made the request, or nil when it came without a
// credential (or on an open route, whose credentials are not looked at).
func principalOf(c echo.Context) *auth.Principal {
	p, _ := c.Get(principalKey).(*auth.Principal)
	return p
}

// openKeys opens the keys of o; a keys file changed into one that cannot
// be read is logged, and the keys read before stay in force.
func (s *Server) openKeys(o AuthOptions) (*auth.Keys, error) {
	keys, err := auth.OpenWith(o.KeysFile, auth.Options{
		AdminToken: o.AdminToken,
		OnReloadError: func(err error) {
			s.log.Printf("%v (the keys read before stay in force)", err)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	return keys, nil
}

// ReloadKeys reads the keys file again now, if it changed (as it is
// anyway within a second of a change, at the next request with a key).
// On error the keys read before stay in force.
func (s *Server) ReloadKeys() error { return s.keys.Reload() }

// permissions maps the access classes that need one to the permission.
var permissions = map[access]auth.Permission{accessRead: auth.Read, accessImport: auth.Import, accessAdmin: auth.Admin,
	accessReport: auth.Report, accessAct: auth.Act, accessRelocate: auth.Relocate}

// authorize checks the request's credential against the route's access:
// open routes pass; read routes pass anonymous callers unless keys are
// required; import and admin routes need a key (or the bootstrap token) of
// a role that grants them. A credential presented is always checked, even
// where none is needed: an unknown or revoked one is refused with 401, a
// known one without the role with 403, before the handler reads anything.
// The token is an "Authorization: Bearer TOKEN" header or, on GET routes
// only, the query parameter key.
func (s *Server) authorize(r route, next echo.HandlerFunc) echo.HandlerFunc {
	perm, ok := permissions[r.access]
	if !ok {
		return next
	}
	query := r.method == http.MethodGet
	return func(c echo.Context) error {
		tok, sent := credential(c.Request(), query)
		if !sent {
			if perm == auth.Read && !s.opts.Auth.RequireKeys {
				return next(c)
			}
			return s.unauthorized(c, perm, false)
		}
		p, err := s.keys.Authenticate(tok)
		if err != nil {
			return s.unauthorized(c, perm, true)
		}
		if !p.Can(perm) {
			return &Error{Status: http.StatusForbidden, Code: "forbidden",
				Message: fmt.Sprintf("key %q has role %s; this needs role %s", p.Name, p.Role, roleList(perm))}
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

// credential returns the token of req: its bearer token, or when query
// is set its key parameter. sent reports whether either was there, even
// empty or malformed (an Authorization header of another scheme gives an
// empty token, which no key has).
func credential(req *http.Request, query bool) (token string, sent bool) {
	if h := req.Header.Get(echo.HeaderAuthorization); h != "" {
		if len(h) > len("Bearer ") && strings.EqualFold(h[:len("Bearer ")], "Bearer ") {
			return strings.TrimSpace(h[len("Bearer "):]), true
		}
		return "", true
	}
	if !query {
		return "", false
	}
	return queryValue(req.URL.RawQuery, keyParam)
}

// queryValue returns the first value of parameter name in the raw query
// string raw, unescaped. It allocates only to unescape.
func queryValue(raw, name string) (string, bool) {
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k != name {
			continue
		}
		if strings.ContainsAny(v, "%+") {
			if u, err := url.QueryUnescape(v); err == nil {
				v = u
			}
		}
		return v, true
	}
	return "", false
}

// unauthorized returns the 401 of a request to a route that needs perm,
// with the WWW-Authenticate challenge (RFC 6750) and a detail saying what
// to send; when no credential can administer yet, how to make one.
func (s *Server) unauthorized(c echo.Context, perm auth.Permission, sent bool) error {
	challenge, msg := `Bearer realm="gridmap"`, ""
	switch {
	case sent:
		challenge += `, error="invalid_token"`
		msg = "unknown or revoked API key"
	case perm == auth.Read:
		msg = "this server requires an API key: send Authorization: Bearer TOKEN, or ?key=TOKEN on GET requests"
	default:
		msg = "send Authorization: Bearer TOKEN of a key of role " + roleList(perm)
		if _, inQuery := queryValue(c.Request().URL.RawQuery, keyParam); inQuery {
			msg += " (?key= is taken on GET read routes only)"
		}
	}
	if perm != auth.Read && !s.keys.HasAdmin() {
		msg += "; no admin token or admin key exists yet: create a key with gridmap keys add --name NAME --role " + roleNames(perm)[0] +
			", or start gridmap serve with --admin-token TOKEN (or GRIDMAP_ADMIN_TOKEN)"
	}
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, challenge)
	return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: msg}
}

// roleList names the roles that grant perm: "admin", "importer or admin".
func roleList(perm auth.Permission) string {
	if perm == auth.Read {
		return "any"
	}
	return strings.Join(roleNames(perm), " or ")
}

// roleNames lists the roles that grant perm, weakest first.
func roleNames(perm auth.Permission) []string {
	rs := auth.RolesFor(perm)
	names := make([]string, len(rs))
	for i, r := range rs {
		names[len(rs)-1-i] = string(r)
	}
	return names
}

// keyName returns the name of the API key the request of c was authorized
// with, "" when it carried no credential: the request log's "key" (a name,
// never the token).
func keyName(c echo.Context) string {
	if p := principalOf(c); p != nil {
		return p.Name
	}
	return ""
}

// principalID returns the id of the API key the request of c was
// authorized with, or "" for an anonymous caller: limit counts rates per
// key, and per remote address for anonymous callers.
func principalID(c echo.Context) string {
	if p := principalOf(c); p != nil {
		return p.KeyID
	}
	return ""
}
