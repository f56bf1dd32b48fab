package main

import (
	"strings"
	"testing"
)

// TestImportLimitFlags imports the bundled sample with each import limit
// set below what one of its layers holds: the import is refused, exit 1,
// with a message naming the limit's config key and the layer, and nothing
// is published.
func TestImportLimitFlags(t *testing.T) {
	paths, err := sampleFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		flag, value string
		says        []string
	}{
		{"--max-vertices", "1000", []string{"limits.import_max_vertices", "(layer county)", "1923 vertices"}},
		{"--max-features", "5000", []string{"limits.import_max_features", "layer microgrids has more than 5000 features"}},
		{"--max-file-bytes", "100000", []string{"limits.import_max_file_bytes", "(layer microgrids)"}},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			data := t.TempDir()
			code, out, errs := gm(t, "", append([]string{"import", "--data", data, tc.flag, tc.value}, paths...)...)
			if code != 1 {
				t.Fatalf("exit %d\n%s\n%s", code, out, errs)
			}
			for _, w := range append(tc.says, "import rejected") {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr does not say %q:\n%s", w, errs)
				}
			}
			if _, out, _ := gm(t, "", "versions", "--data", data); strings.Contains(out, "v1") {
				t.Errorf("versions after a refused import:\n%s", out)
			}
		})
	}
}
