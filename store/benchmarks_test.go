package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/importer"
	bundled "github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/store"
)

var (
	jiangyinOnce sync.Once
	jiangyin     *geo.Dataset
	jiangyinErr  error
)

// jiangyinSample imports the bundled sample (Jiangyin's five layers) once.
func jiangyinSample(b *testing.B) *geo.Dataset {
	b.Helper()
	jiangyinOnce.Do(func() {
		paths, err := bundled.Extract(b.TempDir())
		if err != nil {
			jiangyinErr = err
			return
		}
		var srcs []importer.Source
		for _, p := range paths {
			srcs = append(srcs, importer.ParseSource(p))
		}
		jiangyin, _, jiangyinErr = importer.Import(context.Background(), srcs, nil, importer.Options{})
	})
	if jiangyinErr != nil {
		b.Fatal(jiangyinErr)
	}
	return jiangyin
}

// BenchmarkPublish publishes and activates the bundled sample.
func BenchmarkPublish(b *testing.B) {
	ctx := context.Background()
	d := jiangyinSample(b)
	s, err := store.OpenDir(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Publish(ctx, d, store.Meta{}, true); err != nil {
			b.Fatal(err)
		}
	}
}

// publishedSample returns a store holding the bundled sample and its id.
func publishedSample(b *testing.B) (*store.Dir, string) {
	b.Helper()
	s, err := store.OpenDir(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	m, err := s.Publish(context.Background(), jiangyinSample(b), store.Meta{}, true)
	if err != nil {
		b.Fatal(err)
	}
	return s, m.ID
}

// BenchmarkLoad loads the bundled sample.
func BenchmarkLoad(b *testing.B) {
	s, id := publishedSample(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := s.Load(context.Background(), id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify checks the checksums of the bundled sample: what checking
// adds to a Load.
func BenchmarkVerify(b *testing.B) {
	s, id := publishedSample(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Verify(context.Background(), id); err != nil {
			b.Fatal(err)
		}
	}
}
