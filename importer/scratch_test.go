package importer

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestScratch(t *testing.T) {
	t0 := time.Now()
	base := jiangyin(t)
	t.Logf("jiangyin %v\n%s", time.Since(t0), jyRep.Text())
	files, _ := filepath.Glob(filepath.Join(sharedData, "bad", "*.geojson"))
	for _, f := range files {
		t0 := time.Now()
		_, rep, err := Import(context.Background(), []Source{ParseSource(f)}, base, Options{Merge: true})
		t.Logf("== %s %v err=%v\n%s", filepath.Base(f), time.Since(t0), err, rep.Text())
	}
}
