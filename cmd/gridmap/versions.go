package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/version"
)

func runVersions(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("versions", stderr)
	data := fs.String("data", defaultData, "data directory")
	storeURL := storeFlag(fs)
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	cat, err := openCatalog(place{*data, *storeURL}, version.BuildOptions{}, nil)
	if err != nil {
		return err
	}
	active, list, err := cat.List(context.Background())
	if err != nil && !errors.Is(err, version.ErrDamaged) {
		return err
	}
	damaged := err // reported after the intact versions
	if len(list) == 0 {
		fmt.Fprintf(stdout, "no versions in %s\n", *data)
		return nil
	}
	for _, vm := range list {
		m, err := catalog.Detail(vm)
		if err != nil {
			return err
		}
		mark := " "
		if m.ID == active {
			mark = "*"
		}
		grids := 0
		var partial []string
		for _, l := range m.Layers {
			grids += l.Grids
			if l.Partial {
				partial = append(partial, l.Name+importer.PartialNote(true, l.Parent))
			}
		}
		note := ""
		if len(partial) > 0 {
			note = ", " + strings.Join(partial, ", ")
		}
		var files []string
		for _, s := range m.Sources {
			files = append(files, s.Name)
		}
		fmt.Fprintf(stdout, "%s %-6s %s  %-24s %d layers, %d grids%s  %v\n", mark, m.ID, m.Created.Local().Format(time.DateTime), m.Who, len(m.Layers), grids, note, files)
	}
	return damaged
}

func runActivate(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("activate", stderr)
	data := fs.String("data", defaultData, "data directory")
	storeURL := storeFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: want one VERSION (see gridmap versions)", errUsage)
	}
	cat, err := openCatalog(place{*data, *storeURL}, version.BuildOptions{}, nil)
	if err != nil {
		return err
	}
	// built before it is made active: a version that cannot be served
	// (damaged, unbuildable) stays inactive and a running server is untouched
	if err := cat.Activate(context.Background(), pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "version %s is active\n", pos[0])
	return nil
}
