package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// importedSample returns a data directory of its own holding the bundled
// sample as version v1 (the incident commands write incidents.db beside
// it), and a temporary directory.
func importedSample(t *testing.T) (data, dir string) {
	t.Helper()
	data, dir = t.TempDir(), t.TempDir()
	paths, err := sampleFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errs := gm(t, "", append([]string{"import", "--data", data}, paths...)...); code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	return data, dir
}

// TestIncidentsCLI runs the bulk-data commands on a data directory of the
// bundled sample: a synthetic roster and incidents are written, imported
// (a second import of the same file stores nothing), the roster is listed
// masked and unmasked, and bad input is refused naming what is wrong.
func TestIncidentsCLI(t *testing.T) {
	data, dir := importedSample(t)
	staffCSV, incCSV := filepath.Join(dir, "staff.csv"), filepath.Join(dir, "incidents.csv")
	must := func(want string, args ...string) string {
		t.Helper()
		code, out, errs := gm(t, "", args...)
		if code != 0 || !regexp.MustCompile(want).MatchString(out+errs) {
			t.Fatalf("gridmap %s: exit %d, want %q in\n%s\n%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out
	}
	must(`wrote \d+ people`, "synth", "staff", "--data", data, "--seed", "3", "--out", staffCSV)
	must(`wrote 3000 incidents`, "synth", "incidents", "--data", data, "--n", "3000", "--from", "2025-01-01", "--to", "2025-04-01", "--out", incCSV)
	must(`roster version \S+: \d+ people`, "staff", "import", "--data", data, staffCSV)
	must(`3000 rows: 3000 stored, 0 already stored, 0 skipped`, "incidents", "import", "--data", data, incCSV)
	must(`3000 rows: 0 stored, 3000 already stored`, "incidents", "import", "--data", data, incCSV)

	// the first micro grid's people: masked by default
	b, err := os.ReadFile(staffCSV)
	if err != nil {
		t.Fatal(err)
	}
	row := strings.Split(strings.Split(string(b), "\n")[1], ",") // grid,id,name,role,phone
	masked := must(`GRID\s+ID\s+NAME`, "staff", "list", "--data", data, "--grid", row[0])
	if strings.Contains(masked, row[4]) || strings.Contains(masked, row[2]) || !strings.Contains(masked, row[4][:3]+"****"+row[4][7:]) {
		t.Fatalf("staff list shows personal data unmasked or no masked phone of %q:\n%s", row, masked)
	}
	if plain := must(`GRID`, "staff", "list", "--data", data, "--grid", row[0], "--personal"); !strings.Contains(plain, row[4]) || !strings.Contains(plain, row[2]) {
		t.Fatalf("staff list --personal does not show %q:\n%s", row, plain)
	}

	for _, tc := range []struct {
		name string
		file string
		args []string
		want string
	}{
		{"incidents bad header", "source,lon\n12345,120\n", []string{"incidents", "import"}, "category"},
		{"staff unknown role", "grid,id,name,role,phone\n" + row[0] + ",X1,张三,队长,13800000000\n", []string{"staff", "import"}, "line 2"},
		{"synth bad date", "", []string{"synth", "incidents", "--from", "yesterday"}, "--from"},
		{"synth staff unknown plan", "", []string{"synth", "staff", "--plan", "nanchang"}, "--plan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(tc.args, "--data", data)
			if tc.file != "" {
				f := filepath.Join(t.TempDir(), "in.csv")
				if err := os.WriteFile(f, []byte(tc.file), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, f)
			}
			code, out, errs := gm(t, "", args...)
			if code == 0 || !strings.Contains(out+errs, tc.want) {
				t.Fatalf("exit %d, want an error naming %q:\n%s\n%s", code, tc.want, out, errs)
			}
		})
	}
}
