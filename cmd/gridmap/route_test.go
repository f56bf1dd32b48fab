package main

import (
	"strings"
	"testing"
)

// TestRouteArgs: gridmap route refuses no shards (exit 2), a bad --shard
// value (exit 1, as any bad flag value) and a shard that does not answer
// within --wait (exit 1, naming it).
func TestRouteArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no shards", []string{"route"}, 2, "--shard NAME=URL"},
		{"no name", []string{"route", "--shard", "=http://127.0.0.1:1"}, 1, "want NAME=URL"},
		{"not http", []string{"route", "--shard", "js=ftp://x"}, 1, "shard js: want an http(s) URL"},
		{"named twice", []string{"route", "--shard", "js=http://a:1", "--shard", "js=http://b:1"}, 1, "shard js named twice"},
		{"shard down", []string{"route", "--shard", "js=http://127.0.0.1:1", "--wait", "0s"}, 1, "shard js (http://127.0.0.1:1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := gm(t, "", tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, want %d; stderr %q, want %q in it", code, tc.code, errs, tc.want)
			}
		})
	}
}
