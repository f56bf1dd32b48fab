package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/version"
)

func TestProgressBar(t *testing.T) {
	if newProgressBar(&bytes.Buffer{}) != nil {
		t.Error("bar on a buffer")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if newProgressBar(w) != nil {
		t.Error("bar on a pipe")
	}
	var nilBar *progressBar
	nilBar.update(version.Progress{Stage: "read", Percent: 50}) // no panic
	nilBar.done()
	var buf bytes.Buffer
	b := &progressBar{w: &buf, start: time.Now().Add(-time.Second), width: 10}
	b.update(version.Progress{Stage: importer.StageTopology, Percent: 50})
	b.done()
	if out := buf.String(); !strings.Contains(out, "[#####.....]  50% topology") || !strings.HasSuffix(out, "\r") {
		t.Errorf("bar drew %q", out)
	}
}
