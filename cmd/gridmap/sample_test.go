package main

import "github.com/gridmap/gridmap/sample"

func sampleFiles(dir string) ([]string, error) { return sample.Extract(dir) }
