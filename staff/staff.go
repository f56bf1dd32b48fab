// Package staff holds the people of the grids: a roster of staff (name,
// role, phone, id) by grid code, read from CSV, with the role names of
// each place configurable (Jiangyin's 1+1+3, Nanchang's 1+4+X+N), kept in
// versions like the boundaries. Names and phones are personal data: never
// logged, masked for roles that may not see them (mask.go).
package staff

import "time"

// Person is one member of staff of one grid.
type Person struct {
	// ID identifies the person (a staff number); a person may serve
	// several grids (one Person per grid).
	ID    string `json:"id"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Phone string `json:"phone,omitempty"`
	// Grid is the code of the grid served (any layer).
	Grid string `json:"grid"`
}

// Roles configures a place's role names: every name a roster may use, in
// order of rank, and which of them are responsible for the incidents of
// their grid (dispatch goes to the first person of the finest grid whose
// role is in Responsible, in Responsible's order).
type Roles struct {
	Names       []string `json:"names"`
	Responsible []string `json:"responsible"`
}

// DefaultRoles are the roles of a roster when the operator names none:
// a grid leader, full- and part-time grid workers, a supervisor, a liaison
// and volunteers; the leader and the full-time worker are responsible.
var DefaultRoles = Roles{
	Names:       []string{"网格长", "专职网格员", "兼职网格员", "网格指导员", "网格督导员", "网格联络员", "楼栋长", "志愿者"},
	Responsible: []string{"专职网格员", "网格长", "兼职网格员"},
}

// Version names one stored roster.
type Version struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	// Source is the file's name, SHA256 its hash, People its rows.
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
	People int    `json:"people"`
	Active bool   `json:"active"`
}

// Roster is one version of the staff of every grid.
type Roster struct {
	Version Version
	Roles   Roles
	// People, in the file's order.
	People []Person
	// byGrid indexes People by grid code, byID by staff id (the first
	// row of each); Index builds them.
	byGrid map[string][]int
	byID   map[string]int
	// lines are the CSV lines of People (ReadCSV), for CheckGrids.
	lines []int
}
