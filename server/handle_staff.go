package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"

	"github.com/gridmap/gridmap/staff"
	"github.com/labstack/echo/v4"
)

// handleStaffImport answers POST /api/v1/staff: a roster in CSV (columns
// grid, id, name, role, phone, or their Chinese names), as a text/csv body
// or the file of a multipart form's "file" field, stored as a new roster
// version and made the one dispatch uses: 201 with the version. A bad row
// is a 400 invalid_field naming its line and column (never its name or
// phone).
func (s *Server) handleStaffImport(c echo.Context) error {
	svc, err := s.incidents()
	if err != nil {
		return err
	}
	req := c.Request()
	lim := s.limits()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, lim.MaxUploadBytes)
	mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	var body io.Reader
	source := "roster.csv"
	switch mt {
	case "text/csv", "application/csv":
		body = req.Body
	case "multipart/form-data":
		mr, err := req.MultipartReader()
		if err != nil {
			return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "multipart body: " + err.Error()}
		}
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return &Error{Status: http.StatusBadRequest, Code: "no_file", Param: "file", Message: "the form has no field file holding the roster CSV"}
			}
			if err != nil {
				return tooLargeOr(err, "multipart body")
			}
			if p.FormName() == "file" {
				body = p
				if name := path.Base(p.FileName()); p.FileName() != "" {
					source = name
				}
				break
			}
		}
	default:
		return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Param: "Content-Type",
			Message: fmt.Sprintf("Content-Type %q: send text/csv, or multipart/form-data with the file in field file", mt)}
	}
	v, err := svc.ImportRoster(req.Context(), body, source)
	if err != nil {
		return tooLargeOr(err, "roster")
	}
	return c.JSON(http.StatusCreated, v)
}

// tooLargeOr returns the 413 of an upload over max_upload_bytes, or err.
func tooLargeOr(err error, what string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Limit: keyMaxUploadBytes,
			Message: fmt.Sprintf("%s larger than %d bytes (%s)", what, mbe.Limit, keyMaxUploadBytes)}
	}
	return err
}

// staffAnswer is the answer of GET /api/v1/staff.
type staffAnswer struct {
	Version staff.Version  `json:"version"`
	People  []staff.Person `json:"people"`
}

// handleStaff answers GET /api/v1/staff?grid=CODE: the people of the grid
// (any layer) in the active roster, or every person without grid; names
// and phones masked for callers that may not see them.
func (s *Server) handleStaff(c echo.Context) error {
	svc, err := s.incidents()
	if err != nil {
		return err
	}
	r := svc.Roster()
	if r == nil {
		r = &staff.Roster{}
	}
	people := r.People
	if g := c.QueryParam("grid"); g != "" {
		people = r.Of(g)
	}
	if people == nil {
		people = []staff.Person{}
	}
	return c.JSON(http.StatusOK, staffAnswer{Version: r.Version, People: viewerOf(c).people(people)})
}

// handleStaffVersions answers GET /api/v1/staff/versions: the roster
// versions, newest first.
func (s *Server) handleStaffVersions(c echo.Context) error {
	svc, err := s.incidents()
	if err != nil {
		return err
	}
	vs, err := svc.Rosters(c.Request().Context())
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []staff.Version{}
	}
	return c.JSON(http.StatusOK, map[string]any{"versions": vs})
}
