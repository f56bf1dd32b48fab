package config_test

import (
	"reflect"
	"testing"
	"time"
)

// TestIncidentsBadValues: each bad value of [incidents] and [staff] is
// refused naming its key, what is wrong and where it came from.
func TestIncidentsBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		env  []string
		want string
	}{
		{"deadline without category", "[incidents]\ndeadlines = [\"=24h\"]\n", nil,
			`incidents.deadlines: "=24h" is not CATEGORY=DURATION (such as "市容环境=24h") (from gridmap.toml line 2)`},
		{"deadline not a duration", "", []string{"GRIDMAP_INCIDENTS_DEADLINES=市容环境=soon"},
			`incidents.deadlines: "市容环境=soon": "soon" is not a positive duration (such as 24h or 90m) (from GRIDMAP_INCIDENTS_DEADLINES)`},
		{"category twice", "[incidents]\ndeadlines = [\"治安=1h\", \"治安=2h\"]\n", nil,
			`incidents.deadlines: category "治安" given twice (from gridmap.toml line 2)`},
		{"negative nearest", "[incidents]\nnearest_m = -5\n", nil,
			`incidents.nearest_m: must be from 0 to 100000 metres (from gridmap.toml line 2)`},
		{"negative deadline", "[incidents]\ndeadline = \"-1h\"\n", nil,
			`incidents.deadline: must not be negative (0: no deadline) (from gridmap.toml line 2)`},
		{"sweep too often", "", []string{"GRIDMAP_INCIDENTS_SWEEP_EVERY=10ms"},
			`incidents.sweep_every: must be at least 1s (from GRIDMAP_INCIDENTS_SWEEP_EVERY)`},
		{"responsible not a role", "[staff]\nroles = [\"党员\", \"联络员\"]\nresponsible = [\"网格长\"]\n", nil,
			`staff.responsible: "网格长" is not one of staff.roles (党员, 联络员) (from gridmap.toml line 3)`},
		{"role twice", "[staff]\nroles = [\"党员\", \"党员\"]\nresponsible = [\"党员\"]\n", nil,
			`staff.roles: "党员" given twice (from gridmap.toml line 2)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.file, tc.env)
			if err == nil {
				t.Fatal("accepted")
			}
			if got := tempPath.ReplaceAllString(err.Error(), "(from gridmap.toml"); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestIncidentsValues: the sections read from a file and the environment
// into what the service takes.
func TestIncidentsValues(t *testing.T) {
	c, err := load(t, "[incidents]\nnearest_m = 50\ndeadlines = [\"市容环境=24h\", \"安全隐患 = 12h\"]\n[staff]\nroles = [\"党员\", \"联络员\", \"志愿者\"]\nresponsible = [\"联络员\"]\n",
		[]string{"GRIDMAP_INCIDENTS_DEADLINE=48h"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Incidents.NearestM != 50 || c.Incidents.Deadline != 48*time.Hour {
		t.Errorf("incidents = %+v", c.Incidents)
	}
	want := map[string]time.Duration{"市容环境": 24 * time.Hour, "安全隐患": 12 * time.Hour}
	if got := c.Incidents.ByCategory(); !reflect.DeepEqual(got, want) {
		t.Errorf("ByCategory = %v, want %v", got, want)
	}
	r := c.Staff.StaffRoles()
	if !reflect.DeepEqual(r.Names, []string{"党员", "联络员", "志愿者"}) || !reflect.DeepEqual(r.Responsible, []string{"联络员"}) {
		t.Errorf("StaffRoles = %+v", r)
	}
}
