package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/gridmap/gridmap/geo"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// feature is one decoded feature of a source file.
type feature struct {
	index  int // 1-based position in the file
	code   string
	parent string
	name   string
	level  string
	props  map[string]any
	geom   orb.MultiPolygon // nil when the geometry was rejected
	class  coordClass
	sample orb.Point // a raw position, for messages
}

// fileData is what reading one file yields.
type fileData struct {
	src      Source
	summary  FileSummary
	features []*feature
	problems []Problem
	fatal    bool        // the file could not be read to its end
	decl     declaration // the coordinate system of its positions
}

func (fd *fileData) add(p Problem) {
	if p.Severity == "" {
		p.Severity = SeverityError
	}
	if p.File == "" {
		p.File = fd.src.Path
	}
	if p.Layer == "" {
		p.Layer = fd.src.Layer
	}
	fd.problems = append(fd.problems, p)
}

// readFile opens and reads one source.
func readFile(ctx context.Context, src Source, opts Options, t *tracker) *fileData {
	if p := checkFileSize(src, opts.withDefaults().Limits); p != nil {
		fd := &fileData{src: src, summary: FileSummary{Path: src.Path, Layer: src.Layer}, fatal: true}
		fd.add(*p)
		return fd
	}
	if needsOGR(src.Path) {
		fd := readOGR(ctx, src, opts)
		if fi, err := os.Stat(src.Path); err == nil && t != nil {
			t.report(StageRead, t.bytes.Add(fi.Size()), t.total)
		}
		return fd
	}
	f, err := os.Open(src.Path)
	if err != nil {
		fd := &fileData{src: src, summary: FileSummary{Path: src.Path, Layer: src.Layer}}
		fd.add(Problem{Kind: KindReadError, Message: fmt.Sprintf("%s: cannot open: %v", src.Path, err)})
		fd.fatal = true
		return fd
	}
	defer f.Close()
	decl, prob := declare(src, opts.withDefaults())
	var r io.Reader = f
	if t != nil {
		r = &countingReader{r: f, t: t}
	}
	if gzipped(src.Path) {
		return readGzip(ctx, r, src, opts, decl, prob)
	}
	return readStreamDecl(ctx, r, src, opts, decl, prob)
}

// readOGR converts a Shapefile, GeoPackage or KML with ogr2ogr and reads
// the GeoJSON it makes; problems name the original file.
func readOGR(ctx context.Context, src Source, opts Options) *fileData {
	opts = opts.withDefaults()
	path, decl, cleanup, err := ogrConvert(ctx, src, opts)
	defer cleanup()
	if err != nil {
		fd := &fileData{src: src, summary: FileSummary{Path: src.Path, Layer: src.Layer}}
		format := ogrFormats[strings.ToLower(filepath.Ext(src.Path))]
		fd.add(Problem{Kind: KindReadError, Message: fmt.Sprintf("%s: cannot read the %s: %v", src.Path, format, err)})
		fd.fatal = true
		return fd
	}
	f, err := os.Open(path)
	if err != nil {
		fd := &fileData{src: src, summary: FileSummary{Path: src.Path, Layer: src.Layer}}
		fd.add(Problem{Kind: KindReadError, Message: fmt.Sprintf("%s: converted file: %v", src.Path, err)})
		fd.fatal = true
		return fd
	}
	defer f.Close()
	fd := readStreamDecl(ctx, f, src, opts, decl, nil)
	fd.summary.Format = ogrFormats[strings.ToLower(filepath.Ext(src.Path))] + " via ogr2ogr"
	return fd
}

// rawFeature is a GeoJSON Feature with its members left undecoded.
type rawFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties json.RawMessage `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

// reader walks one JSON stream.
type reader struct {
	ctx  context.Context
	fd   *fileData
	opts Options
	lc   *lineCounter
	dec  *json.Decoder

	inFeatures bool // decoding elements of "features" or a Feature stream
}

// readStream reads a FeatureCollection, or a stream of Features (one per
// line, or simply concatenated), from r. It never panics on bad input and
// stops at the first JSON syntax error, which it reports with its line and
// column.
func readStream(ctx context.Context, r io.Reader, src Source, opts Options) *fileData {
	decl, prob := declare(Source{Layer: src.Layer}, opts.withDefaults())
	return readStreamDecl(ctx, r, src, opts, decl, prob)
}

// readStreamDecl is readStream with the coordinate system declared outside
// the text (by the CRS option or a .prj), and the problem found reading
// that declaration, if any.
func readStreamDecl(ctx context.Context, r io.Reader, src Source, opts Options, decl declaration, prob *Problem) *fileData {
	opts = opts.withDefaults()
	fd := &fileData{src: src, summary: FileSummary{Path: src.Path, Layer: src.Layer}, decl: decl}
	if prob != nil {
		fd.add(*prob)
	}
	lc := &lineCounter{r: r}
	br := bufio.NewReaderSize(lc, 64<<10)
	// Skip a UTF-8 byte order mark.
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	rd := &reader{ctx: ctx, fd: fd, opts: opts, lc: lc, dec: json.NewDecoder(br)}
	rd.dec.UseNumber()
	rd.run(br)
	fd.summary.Bytes = lc.n
	fd.summary.Features = len(fd.features)
	if !fd.fatal && len(fd.features) == 0 && !hasKind(fd.problems, KindNotCollection) {
		fd.add(Problem{Kind: KindEmpty, Message: fmt.Sprintf("%s: no features: nothing to import", src.Path)})
	}
	applyDeclaration(fd)
	fileHeuristics(fd)
	return fd
}

func hasKind(ps []Problem, kind string) bool {
	for _, p := range ps {
		if p.Kind == kind {
			return true
		}
	}
	return false
}

// syntax reports a JSON syntax error err met by the decoder and stops.
// pending is the decoder's unread buffer at the start of the value that
// failed, used to find the exact offset.
func (rd *reader) syntax(err error, valueStart int64, pending []byte) {
	off := rd.dec.InputOffset()
	msg := err.Error()
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off = se.Offset - 1
		if pending != nil {
			// Re-scan the failing value alone: a fresh decoder gives an
			// offset relative to its start.
			d2 := json.NewDecoder(bytes.NewReader(pending))
			var v json.RawMessage
			if e2 := d2.Decode(&v); errors.As(e2, &se) {
				off = valueStart + se.Offset - 1
			}
		}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		off = rd.lc.n
		msg = "unexpected end of input (file truncated?)"
	case errors.As(err, new(*decompressedLimit)):
		rd.fd.add(Problem{Kind: KindLimit, Limit: KeyMaxFileBytes, Message: err.Error()})
		rd.fd.fatal = true
		return
	default:
		// A read error of the underlying file (or of its decompression).
		rd.fd.add(Problem{Kind: KindReadError, Message: fmt.Sprintf("%s: read: %v", rd.fd.src.Path, err)})
		rd.fd.fatal = true
		return
	}
	if off < 0 {
		off = 0
	}
	line, col := rd.lc.position(off)
	p := Problem{Kind: KindJSONSyntax, Line: line, Column: col}
	inFeature := ""
	if rd.inFeatures {
		p.Feature = len(rd.fd.features) + 1
		if m := codeInText.FindSubmatch(pending); m != nil && rd.opts.CodeProp == "code" {
			p.Code = string(m[1])
		}
		inFeature = " in " + where("", p.Feature, p.Code)
	}
	p.Message = fmt.Sprintf("%s:%d:%d: JSON syntax error%s: %s", rd.fd.src.Path, line, col, inFeature, msg)
	rd.fd.add(p)
	rd.fd.fatal = true
}

// codeInText finds the code of a feature whose JSON text failed to parse,
// for the message only.
var codeInText = regexp.MustCompile(`"code"\s*:\s*"?([0-9A-Za-z_-]+)`)

// decodeValue decodes the next value into v, reporting syntax errors. It
// returns false when reading must stop; a type mismatch is returned as err
// with ok true.
func (rd *reader) decodeValue(v any) (typeErr error, ok bool) {
	start := rd.dec.InputOffset()
	err := rd.dec.Decode(v)
	if err == nil {
		return nil, true
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return err, true
	}
	var pending []byte
	if b, e := io.ReadAll(rd.dec.Buffered()); e == nil {
		pending = b
	}
	rd.syntax(err, start, pending)
	return nil, false
}

func (rd *reader) token() (json.Token, bool) {
	t, err := rd.dec.Token()
	if err != nil {
		rd.syntax(err, 0, nil)
		return nil, false
	}
	return t, true
}

func (rd *reader) run(br *bufio.Reader) {
	t, err := rd.dec.Token()
	if err == io.EOF {
		return // empty file: reported as empty
	}
	if err != nil {
		rd.syntax(err, 0, nil)
		return
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		rd.fd.add(Problem{Kind: KindNotCollection,
			Message: fmt.Sprintf("%s: top-level JSON value is %s, expected a FeatureCollection object", rd.fd.src.Path, tokenKind(t))})
		rd.fd.fatal = true
		return
	}
	topType := ""
	var top rawFeature
	sawFeatures := false
	for rd.dec.More() {
		kt, ok := rd.token()
		if !ok {
			return
		}
		key, _ := kt.(string)
		switch key {
		case "type":
			var s any
			if _, ok := rd.decodeValue(&s); !ok {
				return
			}
			topType, _ = s.(string)
		case "features":
			sawFeatures = true
			rd.fd.summary.Format = "FeatureCollection"
			rd.inFeatures = true
			if !rd.features() {
				return
			}
		case "id":
			if _, ok := rd.decodeValue(&top.ID); !ok {
				return
			}
		case "crs":
			var raw json.RawMessage
			if _, ok := rd.decodeValue(&raw); !ok {
				return
			}
			rd.crsMember(raw)
		case "properties":
			if _, ok := rd.decodeValue(&top.Properties); !ok {
				return
			}
		case "geometry":
			if _, ok := rd.decodeValue(&top.Geometry); !ok {
				return
			}
		default:
			var skip json.RawMessage
			if _, ok := rd.decodeValue(&skip); !ok {
				return
			}
		}
	}
	if _, ok := rd.token(); !ok { // '}'
		return
	}
	switch topType {
	case "FeatureCollection":
		rd.fd.summary.Format = "FeatureCollection"
		if !sawFeatures {
			rd.fd.add(Problem{Kind: KindNotCollection,
				Message: fmt.Sprintf("%s: FeatureCollection without a \"features\" array", rd.fd.src.Path)})
		}
		rd.trailing()
	case "Feature":
		// A stream of Features: newline-delimited GeoJSON.
		rd.fd.summary.Format = "ndjson"
		top.Type = "Feature"
		if sawFeatures {
			rd.fd.features = nil
		}
		rd.addFeature(&top, nil)
		rd.inFeatures = true
		for rd.dec.More() {
			if rd.ctx.Err() != nil {
				return
			}
			rd.oneFeature()
			if rd.fd.fatal {
				return
			}
		}
		rd.trailing()
	default:
		name := topType
		if name == "" {
			name = "an object without \"type\""
		}
		rd.fd.features = nil
		rd.fd.add(Problem{Kind: KindNotCollection,
			Message: fmt.Sprintf("%s: top-level GeoJSON is %s, expected a FeatureCollection (or newline-delimited Features)", rd.fd.src.Path, name)})
	}
}

// trailing reports anything after the last top-level value.
func (rd *reader) trailing() {
	if rd.fd.fatal || !rd.dec.More() {
		return
	}
	var v json.RawMessage
	if _, ok := rd.decodeValue(&v); !ok {
		return
	}
	off := rd.dec.InputOffset()
	line, col := rd.lc.position(off)
	rd.fd.add(Problem{Kind: KindJSONSyntax, Line: line, Column: col,
		Message: fmt.Sprintf("%s:%d:%d: unexpected data after the FeatureCollection", rd.fd.src.Path, line, col)})
}

func tokenKind(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "a " + string(v)
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", t)
}

// features walks the "features" array element by element.
func (rd *reader) features() bool {
	t, ok := rd.token()
	if !ok {
		return false
	}
	if d, isDelim := t.(json.Delim); !isDelim || d != '[' {
		rd.fd.add(Problem{Kind: KindNotCollection,
			Message: fmt.Sprintf("%s: \"features\" is %s, expected an array", rd.fd.src.Path, tokenKind(t))})
		if isDelim { // an object: skip it
			depth := 1
			for depth > 0 {
				t, ok := rd.token()
				if !ok {
					return false
				}
				if d, ok := t.(json.Delim); ok {
					if d == '{' || d == '[' {
						depth++
					} else {
						depth--
					}
				}
			}
		}
		return true
	}
	for rd.dec.More() {
		if rd.ctx.Err() != nil {
			rd.fd.fatal = true
			return false
		}
		rd.oneFeature()
		if rd.fd.fatal {
			return false
		}
	}
	rd.inFeatures = false
	_, ok = rd.token() // ']'
	return ok
}

// oneFeature decodes the next array element or stream value as a Feature.
func (rd *reader) oneFeature() {
	var raw rawFeature
	typeErr, ok := rd.decodeValue(&raw)
	if !ok {
		return
	}
	rd.addFeature(&raw, typeErr)
}

func (rd *reader) addFeature(raw *rawFeature, typeErr error) {
	fd := rd.fd
	if l := rd.opts.Limits; l.MaxFeatures >= 0 && len(fd.features) >= l.MaxFeatures {
		// stop reading: the features held so far are all the memory spent
		fd.add(tooManyFeatures(fd, len(fd.features)+1, l))
		fd.fatal = true
		return
	}
	f := &feature{index: len(fd.features) + 1}
	fd.features = append(fd.features, f)
	if typeErr != nil || raw.Type != "Feature" {
		what := fmt.Sprintf("type %q", raw.Type)
		if typeErr != nil {
			what = "not a Feature object"
		}
		fd.add(Problem{Kind: KindFeatureType, Feature: f.index,
			Message: fmt.Sprintf("%s: %s, expected a GeoJSON Feature", where(fd.src.Path, f.index, ""), what)})
		f.class = classRejected
		return
	}
	rd.properties(f, raw)
	decodeGeometry(fd, f, raw.Geometry, rd.opts)
}

// properties decodes the properties and takes code, parent, name, level.
func (rd *reader) properties(f *feature, raw *rawFeature) {
	fd := rd.fd
	o := rd.opts
	if len(raw.Properties) > 0 && !bytes.Equal(bytes.TrimSpace(raw.Properties), []byte("null")) {
		d := json.NewDecoder(bytes.NewReader(raw.Properties))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			fd.add(Problem{Kind: KindFeatureType, Feature: f.index,
				Message: fmt.Sprintf("%s: \"properties\" is not an object", where(fd.src.Path, f.index, ""))})
		}
		f.props = m
	}
	code, kind := codeValue(f.props[o.CodeProp])
	switch kind {
	case "":
		f.code = code
	case KindCodeMissing:
		hint := ""
		if len(raw.ID) > 0 && string(raw.ID) != "null" {
			hint = fmt.Sprintf(" (the feature id %s is not used as a code)", raw.ID)
		}
		fd.add(Problem{Kind: KindCodeMissing, Feature: f.index,
			Message: fmt.Sprintf("%s: required property %q missing or empty%s", where(fd.src.Path, f.index, ""), o.CodeProp, hint)})
	default:
		fd.add(Problem{Kind: KindCodeInvalid, Feature: f.index,
			Message: fmt.Sprintf("%s: property %q is %s, expected a string or an integer", where(fd.src.Path, f.index, ""), o.CodeProp, describe(f.props[o.CodeProp]))})
	}
	parent, pk := codeValue(f.props[o.ParentProp])
	switch pk {
	case "":
		f.parent = parent
	case KindCodeInvalid:
		fd.add(Problem{Kind: KindCodeInvalid, Feature: f.index, Code: f.code,
			Message: fmt.Sprintf("%s: property %q is %s, expected a string or an integer", where(fd.src.Path, f.index, f.code), o.ParentProp, describe(f.props[o.ParentProp]))})
	}
	f.name, _ = f.props[o.NameProp].(string)
	if _, ok := f.props[o.NameProp]; !ok {
		// KML (through ogr2ogr) names its placemarks "Name": take the name
		// property case-insensitively when it is not there as written.
		for k, v := range f.props {
			if strings.EqualFold(k, o.NameProp) {
				f.name, _ = v.(string)
				break
			}
		}
	}
	f.level, _ = f.props[o.LevelProp].(string)
	for k, v := range f.props {
		f.props[k] = geo.PlainNumbers(v)
	}
}

// codeValue turns a code property into its text. Strings are taken as they
// are (trimmed); integers as their decimal text. It returns the kind of
// problem when there is one.
func codeValue(v any) (string, string) {
	switch x := v.(type) {
	case nil:
		return "", KindCodeMissing
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return "", KindCodeMissing
		}
		return s, ""
	case json.Number:
		s := x.String()
		if _, err := strconv.ParseUint(strings.TrimPrefix(s, "-"), 10, 64); err == nil {
			return s, ""
		}
		// 3.20281e5 and the like: accept when integral and exact.
		if f, err := x.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return strconv.FormatInt(int64(f), 10), ""
		}
		return "", KindCodeInvalid
	}
	return "", KindCodeInvalid
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", x)
	case json.Number:
		return "the number " + x.String()
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
