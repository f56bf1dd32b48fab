package server

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/gridmap/gridmap/staff"
	"github.com/labstack/echo/v4"
)

// addStaff adds to each chain element of the lookup answer b (its chain
// and, with several layer trees, its chains) a member "staff": the people
// of that grid in the active roster, masked for a caller that may not see
// them. It is the slow path of a lookup, taken only with ?with=staff: the
// answer is decoded and encoded again.
func (s *Server) addStaff(c echo.Context, b []byte) ([]byte, error) {
	svc, err := s.incidents()
	if err != nil {
		return b, err
	}
	roster := svc.Roster()
	if roster == nil {
		roster = &staff.Roster{}
	}
	v := viewerOf(c)
	var answer map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&answer); err != nil {
		return b, fmt.Errorf("lookup with staff: %w", err)
	}
	add := func(raw json.RawMessage) (json.RawMessage, error) {
		var chain []map[string]any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&chain); err != nil {
			return nil, err
		}
		for _, el := range chain {
			code, _ := el["code"].(string)
			people := roster.Of(code)
			if people == nil {
				people = []staff.Person{}
			}
			el["staff"] = v.people(people)
		}
		return json.Marshal(chain)
	}
	if answer["chain"], err = add(answer["chain"]); err != nil {
		return b, fmt.Errorf("lookup with staff: %w", err)
	}
	if raw, ok := answer["chains"]; ok {
		var chains []json.RawMessage
		if err := json.Unmarshal(raw, &chains); err != nil {
			return b, fmt.Errorf("lookup with staff: %w", err)
		}
		for i := range chains {
			if chains[i], err = add(chains[i]); err != nil {
				return b, fmt.Errorf("lookup with staff: %w", err)
			}
		}
		if answer["chains"], err = json.Marshal(chains); err != nil {
			return b, err
		}
	}
	out, err := json.Marshal(answer)
	if err != nil {
		return b, err
	}
	return append(b[:0], out...), nil
}
