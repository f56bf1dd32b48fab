package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gridmap/gridmap/version"
	"github.com/labstack/echo/v4"
)

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

// handleImport answers POST /api/v1/imports (role importer or admin,
// checked by authorize before the body is read).
//
// The body is multipart/form-data: one or more file parts (GeoJSON,
// newline-delimited GeoJSON, a zipped Shapefile, the parts of a loose
// Shapefile, GeoPackage, KML). A file part's field name is its layer
// ("grids"), unless it is "file" or "files", in which case the layer is the
// file's base name, as on the command line. A GeoPackage, KML or FileGDB
// of several layers is imported layer by layer, each under its own name,
// unless its field picks one: "NAME:LAYER" makes layer NAME of the file's
// layer LAYER, ":LAYER" makes layer LAYER. Form fields, all optional:
// merge, dry_run, fix (true/false), crs (as gridmap import --crs), snap and
// tolerance (numbers), code_prop, parent_prop, name_prop, who, attribution
// (the data's credit and licence, shown with the map), partial (the layers
// that need not tile their parents, comma-separated or the field repeated,
// as gridmap import --partial; a name that is no layer of the files or of
// the active version is a 400 naming the field).
//
// Answers: 201 with the manifest of the new, active version (which the
// server serves from then on), Location /api/v1/versions/{id}; 200 with
// {"status":"checked","report","diff"} for a dry run; 422, a problem
// document import_rejected with the members "active" and "report", when a
// check fails, or 400 with the same document when a file cannot be read at
// all (not JSON, empty, not a FeatureCollection); 400 (a problem document)
// for a request without a file, with a bad field or with a form field it
// does not take (unknown_parameter); 401/403 for the credentials (authorize.go). A rejected
// import changes nothing.
//
// Progress: with "Accept: application/x-ndjson" the answer is 200 and
// streamed, one JSON object per line: {"stage","done","total","percent"}
// as the import goes (stages upload, read, geometry, topology, done,
// publish), then one last line carrying the body the plain request would
// have had (a problem document for an error) and its "http_status".
func (s *Server) handleImport(c echo.Context) error {
	start := time.Now()
	req := c.Request()
	lim := s.limits()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, lim.MaxUploadBytes)
	mr, err := req.MultipartReader()
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "want a multipart/form-data body with the files to import: " + err.Error()}
	}
	dir, remove, err := s.versions.NewUpload()
	if err != nil {
		return err
	}
	defer remove()
	files, form, err := saveParts(mr, dir)
	if err != nil {
		return err
	}
	ireq := version.ImportRequest{Dir: dir}
	ireq.Options.Limits = version.ImportLimits{MaxFileBytes: lim.ImportMaxFileBytes,
		MaxFeatures: lim.ImportMaxFeatures, MaxVertices: lim.ImportMaxVertices}
	for _, f := range files {
		if sidecars[strings.ToLower(filepath.Ext(f.name))] {
			continue
		}
		vf := version.File{Path: f.path, Name: f.name, SHA256: f.sum, Bytes: f.bytes}
		if f.field != "file" && f.field != "files" && f.field != "" {
			vf.Layer, vf.FileLayer, _ = strings.Cut(f.field, ":")
		}
		ireq.Files = append(ireq.Files, vf)
	}
	if len(ireq.Files) == 0 {
		return &Error{Status: http.StatusBadRequest, Code: "no_file", Param: "file", Message: "no file to import: send the files as multipart file parts (field name = layer, or \"file\")"}
	}
	ireq.Options, ireq.DryRun, err = importOptions(form, ireq.Options)
	if err != nil {
		return err
	}
	ireq.Who, ireq.Attribution = form["who"], form["attribution"]
	if ireq.Who == "" {
		ireq.Who = "api " + c.RealIP()
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
		emit(version.Progress{Stage: "upload", Done: total, Total: total, Percent: 0})
		ireq.Options.Progress = func(p version.Progress) { emit(p) }
	}
	status, body := s.runImport(req.Context(), ireq)
	s.metrics.Import(importOutcome(status, body), time.Since(start))
	if stream {
		if e, ok := body.(*Error); ok {
			p := s.problemOf(c, e)
			p.ext = maps.Clone(p.ext)
			if p.ext == nil {
				p.ext = map[string]any{}
			}
			p.ext["http_status"] = status
			body = p
		}
		if m, ok := body.(map[string]any); ok {
			m["http_status"] = status
		}
		emit(body)
		return nil
	}
	if status == http.StatusCreated {
		if m, ok := body.(map[string]any); ok {
			if v, ok := m["version"].(version.Manifest); ok {
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

// runImport runs the import of req and returns the HTTP status and the
// body.
func (s *Server) runImport(ctx context.Context, req version.ImportRequest) (int, any) {
	res, err := s.versions.Import(ctx, req)
	if res.Status == version.StatusRejected {
		err = nil // the answer says so
	}
	var re *version.RequestError
	var ue *version.UnservableError
	switch {
	case errors.As(err, &re):
		e := requestError(re, req)
		return e.Status, e
	case errors.As(err, &ue):
		return http.StatusUnprocessableEntity, &Error{Status: http.StatusUnprocessableEntity, Code: "unservable", Message: ue.Error()}
	case errors.Is(err, version.ErrBadImport):
		return http.StatusBadRequest, &Error{Status: http.StatusBadRequest, Code: "bad_import", Message: err.Error()}
	case err != nil:
		if e := httpError(err); e.Status != http.StatusInternalServerError {
			return e.Status, e // 507: the disk is full
		}
		return http.StatusInternalServerError, s.internal(err)
	}
	var report any // a nil report is sent as null
	if res.Report != nil {
		report = res.Report
	}
	switch res.Status {
	case version.StatusRejected:
		e := &Error{Status: http.StatusUnprocessableEntity, Code: "import_rejected",
			Message: "the files failed the import's checks (see report); the active version is unchanged",
			Ext:     map[string]any{"active": res.Active, "report": report}}
		if res.Unreadable {
			e.Status = http.StatusBadRequest
			e.Message = "a file could not be read (see report); the active version is unchanged"
		}
		return e.Status, e
	case version.StatusChecked:
		return http.StatusOK, map[string]any{"status": "checked", "active": res.Active, "report": report, "diff": res.Diff}
	}
	return http.StatusCreated, map[string]any{"status": "published", "version": res.Version}
}

// requestError is the 400 of an import request the catalog refused: a
// layer name (named by its field, or else its file name) or an option.
func requestError(re *version.RequestError, req version.ImportRequest) *Error {
	if re.File < 0 || re.File >= len(req.Files) {
		return badParam(re.Option, "%v", re.Err)
	}
	f := req.Files[re.File]
	param := "file"
	if f.Layer != "" {
		param = f.Layer
	}
	return badParam(param, "%s: %v (a file part's field name, or else its file name, names the layer)", f.Name, re.Err)
}

// internal logs err and returns the body of a 500 that does not leak it.
func (s *Server) internal(err error) *Error {
	s.log.Printf("import: %v", err)
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
}

// importFields are the form fields of an import besides its file parts
// (importOptions reads them; who names the person importing).
var importFields = []string{"merge", "dry_run", "fix", "crs", "snap", "tolerance", "code_prop", "parent_prop", "name_prop", "who", "attribution", "partial"}

// listFields are the import fields that may be repeated: their values are
// joined with commas, as if sent comma-separated in one field.
var listFields = map[string]bool{"partial": true}

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
		if e := (*Error)(nil); errors.As(err, &e) {
			return nil, nil, e // the body went idle
		}
		if err != nil {
			return nil, nil, &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "malformed multipart body: " + err.Error()}
		}
		field := part.FormName()
		if part.FileName() == "" {
			if !slices.Contains(importFields, field) {
				return nil, nil, unknownParam(field, importFields)
			}
			b, err := io.ReadAll(io.LimitReader(part, 4096))
			if err != nil {
				return nil, nil, &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "reading field " + field + ": " + err.Error()}
			}
			v := strings.TrimSpace(string(b))
			if old, ok := form[field]; ok && listFields[field] {
				v = old + "," + v
			}
			form[field] = v
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
				return nil, nil, &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Limit: keyMaxUploadBytes,
					Message: fmt.Sprintf("upload larger than %d bytes (%s)", mbe.Limit, keyMaxUploadBytes)}
			}
			if noSpace(err) {
				return nil, nil, fmt.Errorf("save upload %s: %w", name, err)
			}
			if e := (*Error)(nil); errors.As(err, &e) {
				return nil, nil, e // the body went idle
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

// importOptions reads the import options from the form fields into o; the
// catalog checks their values.
func importOptions(form map[string]string, o version.ImportOptions) (version.ImportOptions, bool, error) {
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
	for _, name := range strings.Split(form["partial"], ",") {
		if name = strings.TrimSpace(name); name != "" && !slices.Contains(o.Partial, name) {
			o.Partial = append(o.Partial, name)
		}
	}
	return o, dry, nil
}

// handleActivate answers POST /api/v1/versions/{id}/activate (role admin,
// checked by authorize): makes version id the active one and serves it at once.
// 200 {"active","serving"}; 404 for an unknown version, 400 for a
// malformed id.
func (s *Server) handleActivate(c echo.Context) error {
	id := c.Param("id")
	if err := s.versions.Activate(c.Request().Context(), id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"active": id, "serving": s.Version()})
}
