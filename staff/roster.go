package staff

import (
	"errors"
	"fmt"
	"slices"
)

// Validate checks a place's roles: at least one name, no name empty or
// given twice, and every responsible role one of the names.
func (r Roles) Validate() error {
	if len(r.Names) == 0 {
		return errors.New("staff roles: no role names")
	}
	for i, n := range r.Names {
		if n == "" {
			return fmt.Errorf("staff roles: name %d is empty", i+1)
		}
		if slices.Index(r.Names, n) != i {
			return fmt.Errorf("staff roles: %q given twice", n)
		}
	}
	for _, n := range r.Responsible {
		if !slices.Contains(r.Names, n) {
			return fmt.Errorf("staff roles: responsible role %q is not one of the names %v", n, r.Names)
		}
	}
	return nil
}

// Index builds the roster's lookup by grid code; Of, Person and
// Responsible use it when built and scan People otherwise. Call it once,
// before the roster is shared: it is not safe to run beside readers.
func (r *Roster) Index() {
	r.byGrid = make(map[string][]int)
	r.byID = make(map[string]int, len(r.People))
	for i, p := range r.People {
		r.byGrid[p.Grid] = append(r.byGrid[p.Grid], i)
		if _, ok := r.byID[p.ID]; !ok {
			r.byID[p.ID] = i
		}
	}
}

// Of returns the people of the grid of that code (any layer), in the
// file's order; nil when it has none. The caller must not change them.
func (r *Roster) Of(grid string) []Person {
	if r == nil {
		return nil
	}
	if r.byGrid == nil {
		var out []Person
		for _, p := range r.People {
			if p.Grid == grid {
				out = append(out, p)
			}
		}
		return out
	}
	idx := r.byGrid[grid]
	if len(idx) == 0 {
		return nil
	}
	out := make([]Person, len(idx))
	for i, j := range idx {
		out[i] = r.People[j]
	}
	return out
}

// Person returns the first row of the person of that staff id (a person
// serving several grids has one row per grid).
func (r *Roster) Person(id string) (Person, bool) {
	if r == nil {
		return Person{}, false
	}
	if r.byID != nil {
		i, ok := r.byID[id]
		if !ok {
			return Person{}, false
		}
		return r.People[i], true
	}
	for _, p := range r.People {
		if p.ID == id {
			return p, true
		}
	}
	return Person{}, false
}

// Responsible returns the person responsible for the incidents of grid:
// the first person of the grid whose role is roles.Responsible[0], else
// the first of roles.Responsible[1], and so on; false when the grid has
// nobody of a responsible role.
func (r *Roster) Responsible(grid string, roles Roles) (Person, bool) {
	people := r.Of(grid)
	for _, role := range roles.Responsible {
		for _, p := range people {
			if p.Role == role {
				return p, true
			}
		}
	}
	return Person{}, false
}

// Masked returns p with its name and phone masked (MaskName, MaskPhone),
// for a role that may not see them.
func (p Person) Masked() Person {
	p.Name = MaskName(p.Name)
	p.Phone = MaskPhone(p.Phone)
	return p
}
