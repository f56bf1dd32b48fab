package staff

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// LineError is a bad row or header of a roster file: Line is its 1-based
// line, Field the column (English name), Msg what is wrong. It never holds
// a name or a phone number.
type LineError struct {
	Line  int
	Field string
	Msg   string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Msg)
}

// columns are a roster file's columns and the header names each is known
// by (lower case); phone is the only optional one.
var columns = []struct {
	name     string
	aliases  []string
	required bool
}{
	{"grid", []string{"grid", "grid_code", "网格编码", "网格代码", "网格"}, true},
	{"id", []string{"id", "staff_id", "工号", "编号"}, true},
	{"name", []string{"name", "姓名"}, true},
	{"role", []string{"role", "角色", "职务"}, true},
	{"phone", []string{"phone", "tel", "电话", "手机", "手机号", "联系电话"}, false},
}

// Column positions in columns.
const (
	colGrid = iota
	colID
	colName
	colRole
	colPhone
	nColumns
)

// ReadCSV reads a roster: a header naming the columns grid, id, name,
// role and (optionally) phone, in any order, case-insensitive, or their
// Chinese names (网格编码, 工号, 姓名, 角色, 电话), then one row per person
// and grid. Every role must be one of roles.Names; a phone number holds
// 5–20 of digits, '+', '-' and spaces; a staff id appears at most once per
// grid. Any error is a *LineError naming the line and column. The roster
// comes back indexed, with Version.SHA256 and Version.People set.
func ReadCSV(r io.Reader, roles Roles) (*Roster, error) {
	if err := roles.Validate(); err != nil {
		return nil, err
	}
	h := sha256.New()
	cr := csv.NewReader(io.TeeReader(r, h))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, csvError(err, "header")
	}
	pos, err := headerPositions(head)
	if err != nil {
		return nil, err
	}
	ro := &Roster{Roles: roles}
	seen := map[[2]string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err, "row")
		}
		line, _ := cr.FieldPos(0)
		p, err := readRow(rec, pos, line, roles)
		if err != nil {
			return nil, err
		}
		key := [2]string{p.ID, p.Grid}
		if first, ok := seen[key]; ok {
			return nil, &LineError{line, "id", fmt.Sprintf("staff id %q is given twice for grid %q (first on line %d)", p.ID, p.Grid, first)}
		}
		seen[key] = line
		ro.People = append(ro.People, p)
		ro.lines = append(ro.lines, line)
	}
	ro.Version.SHA256 = hex.EncodeToString(h.Sum(nil))
	ro.Version.People = len(ro.People)
	ro.Index()
	return ro, nil
}

// headerPositions maps each column to its position in head (-1: absent).
func headerPositions(head []string) ([nColumns]int, error) {
	var pos [nColumns]int
	for i := range pos {
		pos[i] = -1
	}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		for c, col := range columns {
			if slices.Contains(col.aliases, h) {
				if pos[c] >= 0 {
					return pos, &LineError{1, col.name, fmt.Sprintf("column given twice (%q)", h)}
				}
				pos[c] = i
			}
		}
	}
	for c, col := range columns {
		if col.required && pos[c] < 0 {
			return pos, &LineError{1, col.name, fmt.Sprintf("missing column (header: %s)", strings.Join(col.aliases, " or "))}
		}
	}
	return pos, nil
}

// readRow reads one person from rec.
func readRow(rec []string, pos [nColumns]int, line int, roles Roles) (Person, error) {
	get := func(c int) string {
		if pos[c] < 0 || pos[c] >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[pos[c]])
	}
	p := Person{Grid: get(colGrid), ID: get(colID), Name: get(colName), Role: get(colRole), Phone: get(colPhone)}
	for _, c := range []struct {
		col   int
		value string
	}{{colGrid, p.Grid}, {colID, p.ID}, {colName, p.Name}, {colRole, p.Role}} {
		if c.value == "" {
			return p, &LineError{line, columns[c.col].name, "empty"}
		}
	}
	if !slices.Contains(roles.Names, p.Role) {
		return p, &LineError{line, "role", fmt.Sprintf("unknown role %q (roles: %s)", p.Role, strings.Join(roles.Names, ", "))}
	}
	if msg := checkPhone(p.Phone); msg != "" {
		return p, &LineError{line, "phone", msg}
	}
	return p, nil
}

// checkPhone says what is wrong with a phone number, without repeating it
// (it is personal data); "" when it is empty or good.
func checkPhone(p string) string {
	if p == "" {
		return ""
	}
	if n := len(p); n < 5 || n > 20 {
		return fmt.Sprintf("a phone number has 5 to 20 characters, not %d", n)
	}
	for _, c := range p {
		if !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == ' ') {
			return fmt.Sprintf("a phone number holds only digits, '+', '-' and spaces, not %q", c)
		}
	}
	return ""
}

// csvError names the line of an error of encoding/csv.
func csvError(err error, what string) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &LineError{pe.Line, what, pe.Err.Error()}
	}
	if err == io.EOF {
		return &LineError{1, what, "empty file"}
	}
	return fmt.Errorf("read roster: %w", err)
}

// CheckGrids refuses a roster naming a grid code that known says does not
// exist: the error names the first such row's line (or its position in
// People, for a roster not read by ReadCSV).
func (r *Roster) CheckGrids(known func(code string) bool) error {
	for i, p := range r.People {
		if known(p.Grid) {
			continue
		}
		line := i + 2
		if i < len(r.lines) {
			line = r.lines[i]
		}
		return &LineError{line, "grid", fmt.Sprintf("grid %q is in no layer of the boundary version served", p.Grid)}
	}
	return nil
}
