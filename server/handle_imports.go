package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/store"
	"github.com/labstack/echo/v4"
)

// importLock serialises imports and activations: each merges over the
// active version, so two at once would lose one's changes.
type importLock struct{ sync.Mutex }

// requireAdmin checks the admin token: 403 when the server has none
// configured (imports disabled), 401 when the request's
// "Authorization: Bearer TOKEN" is missing or wrong.
func (s *Server) requireAdmin(c echo.Context) error {
	if s.opts.AdminToken == "" {
		return &Error{Status: http.StatusForbidden, Code: "admin_disabled",
			Message: "administration is disabled on this server: start it with gridmap serve --admin-token TOKEN (or set GRIDMAP_ADMIN_TOKEN) and send Authorization: Bearer TOKEN"}
	}
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.opts.AdminToken)) != 1 {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="gridmap"`)
		return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "missing or wrong admin token (Authorization: Bearer TOKEN)"}
	}
	return nil
}

// upload is one file part of an import request.
type upload struct {
	field string // form field name
	name  string // file name as sent (base name only)
	path  string // where it was saved
	sum   string // SHA-256, hex
	bytes int64
}

// sidecars are parts of a Shapefile that are not sources by themselves.
var sidecars = map[string]bool{".dbf": true, ".shx": true, ".prj": true, ".cpg": true, ".qix": true, ".sbn": true, ".sbx": true}

// handleImport answers POST /api/v1/imports (admin token required).
//
// The body is multipart/form-data: one or more file parts (GeoJSON,
// newline-delimited GeoJSON, a zipped Shapefile, the parts of a loose
// Shapefile, GeoPackage, KML). A file part's field name is its layer
// ("grids"), unless it is "file" or "files", in which case the layer is the
// file's base name, as on the command line. Form fields, all optional:
// merge, dry_run, fix (true/false), crs (as gridmap import --crs), snap and
// tolerance (numbers), code_prop, parent_prop, name_prop, who.
//
// Answers: 201 with the manifest of the new, active version (which the
// server serves from then on), Location /api/v1/versions/{id}; 200 with
// {"status":"checked","report","diff"} for a dry run; 422 with
// {"status":"rejected","active","report"} when a check fails, or 400 with
// the same body when a file cannot be read at all (not JSON, empty, not a
// FeatureCollection); 400 with an error body for a request without a file or
// with a bad field; 401/403 for the token. A rejected import changes
// nothing.
//
// Progress: with "Accept: application/x-ndjson" the answer is 200 and
// streamed, one JSON object per line: {"stage","done","total","percent"}
// as the import goes (stages upload, read, geometry, topology, done,
// publish), then one last line {"status", "http_status", ...} carrying the
// body and status the plain request would have had.
func (s *Server) handleImport(c echo.Context) error {
	if err := s.requireAdmin(c); err != nil {
		return err
	}
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, s.opts.MaxBodyBytes)
	mr, err := req.MultipartReader()
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "want a multipart/form-data body with the files to import: " + err.Error()}
	}
	dir, err := os.MkdirTemp("", "gridmap-upload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	files, form, err := saveParts(mr, dir)
	if err != nil {
		return err
	}
	var srcs []importer.Source
	for _, f := range files {
		if sidecars[strings.ToLower(filepath.Ext(f.name))] {
			continue
		}
		src := importer.ParseSource(f.path)
		if f.field != "file" && f.field != "files" && f.field != "" {
			src.Layer = f.field
		}
		if err := importer.CheckLayerName(src.Layer); err != nil {
			param := f.field
			if param == "" || param == "file" || param == "files" {
				param = "file"
			}
			return badParam(param, "%s: %v (a file part's field name, or else its file name, names the layer)", f.name, err)
		}
		srcs = append(srcs, src)
	}
	if len(srcs) == 0 {
		return &Error{Status: http.StatusBadRequest, Code: "no_file", Param: "file", Message: "no file to import: send the files as multipart file parts (field name = layer, or \"file\")"}
	}
	opts, dry, err := importOptions(form)
	if err != nil {
		return err
	}
	who := form["who"]
	if who == "" {
		who = "api " + c.RealIP()
	}
	stream := strings.Contains(req.Header.Get(echo.HeaderAccept), "application/x-ndjson")
	var emit func(any)
	if stream {
		res := c.Response()
		res.Header().Set(echo.HeaderContentType, "application/x-ndjson")
		res.WriteHeader(http.StatusOK)
		enc := json.NewEncoder(res)
		var mu sync.Mutex
		emit = func(v any) {
			mu.Lock()
			defer mu.Unlock()
			enc.Encode(v)
			res.Flush()
		}
		var total int64
		for _, f := range files {
			total += f.bytes
		}
		emit(importer.Progress{Stage: "upload", Done: total, Total: total, Percent: 0})
		opts.Progress = func(p importer.Progress) { emit(p) }
	}
	status, body := s.runImport(req.Context(), srcs, files, dir, opts, dry, who, emit)
	if stream {
		if m, ok := body.(map[string]any); ok {
			m["http_status"] = status
		}
		emit(body)
		return nil
	}
	if status == http.StatusCreated {
		if m, ok := body.(map[string]any); ok {
			if v, ok := m["version"].(store.Manifest); ok {
				c.Response().Header().Set(echo.HeaderLocation, "/api/v1/versions/"+v.ID)
				return c.JSON(status, v)
			}
		}
	}
	if e, ok := body.(*Error); ok {
		return e
	}
	return c.JSON(status, body)
}

// runImport imports srcs over the active version and, unless dry, publishes
// and activates the result and reloads the server. It returns the HTTP
// status and the body.
func (s *Server) runImport(ctx context.Context, srcs []importer.Source, files []upload, dir string, opts importer.Options, dry bool, who string, emit func(any)) (int, any) {
	s.imports.Lock()
	defer s.imports.Unlock()
	base, activeID, err := s.activeData(ctx)
	if err != nil {
		return http.StatusInternalServerError, s.internal(err)
	}
	ds, rep, err := importer.Import(ctx, srcs, base, opts)
	clean := func(r *importer.Report) *importer.Report {
		if r == nil {
			return nil
		}
		// Name the files as uploaded, not where they were saved.
		strip := func(x string) string { return strings.ReplaceAll(x, dir+string(filepath.Separator), "") }
		for i := range r.Problems {
			r.Problems[i].File = strip(r.Problems[i].File)
			r.Problems[i].Message = strip(r.Problems[i].Message)
		}
		for i := range r.Files {
			r.Files[i].Path = strip(r.Files[i].Path)
		}
		return r
	}
	rep = clean(rep)
	switch {
	case errors.Is(err, importer.ErrRejected):
		status := http.StatusUnprocessableEntity
		if unreadable(rep) {
			status = http.StatusBadRequest
		}
		return status, map[string]any{"status": "rejected", "active": activeID, "report": rep}
	case err != nil:
		return http.StatusBadRequest, &Error{Status: http.StatusBadRequest, Code: "bad_import", Message: err.Error()}
	}
	if dry {
		return http.StatusOK, map[string]any{"status": "checked", "active": activeID, "report": rep, "diff": importer.Compare(base, ds)}
	}
	if emit != nil {
		emit(importer.Progress{Stage: "publish", Percent: 100})
	}
	meta := store.Meta{Who: who, Report: rep}
	for _, src := range srcs {
		for _, f := range files {
			if f.path == src.Path {
				meta.Sources = append(meta.Sources, store.SourceFile{Layer: src.Layer, Name: f.name, SHA256: f.sum, Bytes: f.bytes})
			}
		}
	}
	// stored first, made active only once it can be served
	m, err := s.opts.Store.Publish(ctx, ds, meta, false)
	if err != nil {
		return http.StatusInternalServerError, s.internal(fmt.Errorf("publish: %w", err))
	}
	if err := s.activateData(ctx, m, ds); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return e.Status, e
		}
		return http.StatusInternalServerError, s.internal(fmt.Errorf("activate %s: %w", m.ID, err))
	}
	return http.StatusCreated, map[string]any{"status": "published", "version": m}
}

// internal logs err and returns the body of a 500 that does not leak it.
func (s *Server) internal(err error) *Error {
	s.log.Printf("import: %v", err)
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
}

// unreadable reports whether every error of rep is about reading a file
// at all (rather than about what it holds).
func unreadable(rep *importer.Report) bool {
	if rep == nil || rep.Errors() == 0 {
		return false
	}
	for _, p := range rep.Problems {
		if p.Severity != importer.SeverityError {
			continue
		}
		switch p.Kind {
		case importer.KindJSONSyntax, importer.KindReadError, importer.KindNotCollection, importer.KindEmpty:
		default:
			return false
		}
	}
	return true
}

// activeData returns the active version's dataset (the one served, when
// it is the active one) and its id; nil and "" when there is none yet.
func (s *Server) activeData(ctx context.Context) (*geo.Dataset, string, error) {
	id, err := s.opts.Store.Active(ctx)
	if errors.Is(err, store.ErrNoActive) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if snap := s.cur.Load(); snap != nil && snap.manifest.ID == id {
		return snap.data, id, nil
	}
	d, _, err := s.opts.Store.Load(ctx, id)
	return d, id, err
}

// saveParts saves the file parts of mr into dir under their base names
// and returns them with the other form fields.
func saveParts(mr *multipart.Reader, dir string) ([]upload, map[string]string, error) {
	var files []upload
	form := map[string]string{}
	used := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return files, form, nil
		}
		if err != nil {
			return nil, nil, &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "malformed multipart body: " + err.Error()}
		}
		field := part.FormName()
		if part.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(part, 4096))
			if err != nil {
				return nil, nil, &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "reading field " + field + ": " + err.Error()}
			}
			form[field] = strings.TrimSpace(string(b))
			continue
		}
		name := filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		if name == "." || name == "/" || name == ".." {
			name = "upload.geojson"
		}
		name = shortName(name, 120)
		for used[name] {
			name = "_" + name
		}
		used[name] = true
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			return nil, nil, err
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, h), part)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, nil, &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: fmt.Sprintf("upload larger than %d bytes", mbe.Limit)}
			}
			return nil, nil, &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "reading file " + name + ": " + err.Error()}
		}
		files = append(files, upload{field: field, name: name, path: path, sum: hex.EncodeToString(h.Sum(nil)), bytes: n})
	}
}

// shortName cuts a file name to at most max bytes, keeping its extensions
// (up to 16 bytes of them) and whole UTF-8 characters: file systems refuse
// names over 255 bytes.
func shortName(name string, max int) string {
	if len(name) <= max {
		return name
	}
	ext := ""
	if i := strings.Index(name, "."); i > 0 && len(name)-i <= 16 {
		name, ext = name[:i], name[i:]
	}
	cut := max - len(ext)
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + ext
}

// importOptions reads the import options from the form fields.
func importOptions(form map[string]string) (importer.Options, bool, error) {
	var o importer.Options
	flag := func(name string) (bool, error) {
		v, ok := form[name]
		if !ok || v == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, badParam(name, "%s must be true or false, not %q", name, v)
		}
		return b, nil
	}
	num := func(name string, into *float64) error {
		v, ok := form[name]
		if !ok || v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return badParam(name, "%s must be a number, not %q", name, v)
		}
		*into = f
		return nil
	}
	var err error
	if o.Merge, err = flag("merge"); err != nil {
		return o, false, err
	}
	if o.Fix, err = flag("fix"); err != nil {
		return o, false, err
	}
	dry, err := flag("dry_run")
	if err != nil {
		return o, false, err
	}
	if err := num("snap", &o.Snap); err != nil {
		return o, false, err
	}
	if err := num("tolerance", &o.Tolerance); err != nil {
		return o, false, err
	}
	o.CRS = form["crs"]
	o.CodeProp, o.ParentProp, o.NameProp = form["code_prop"], form["parent_prop"], form["name_prop"]
	if err := o.Validate(); err != nil {
		param := "crs"
		if strings.Contains(err.Error(), "tolerance") {
			param = "tolerance"
		} else if strings.Contains(err.Error(), "snap") {
			param = "snap"
		}
		return o, false, badParam(param, "%v", err)
	}
	return o, dry, nil
}

// handleActivate answers POST /api/v1/versions/{id}/activate (admin
// token required): makes version id the active one and serves it at once.
// 200 {"active","serving"}; 404 for an unknown version, 400 for a
// malformed id.
func (s *Server) handleActivate(c echo.Context) error {
	if err := s.requireAdmin(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	id := c.Param("id")
	s.imports.Lock()
	defer s.imports.Unlock()
	if err := s.activate(ctx, id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"active": id, "serving": s.Version()})
}
