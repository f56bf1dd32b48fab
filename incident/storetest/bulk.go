package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// history is a closed incident's transitions from report to close.
func history(inc incident.Incident) []incident.Transition {
	steps := []struct {
		a  incident.Action
		to incident.Status
	}{
		{incident.ActReport, incident.Reported}, {incident.ActAssess, incident.Assessed},
		{incident.ActDispatch, incident.Dispatched}, {incident.ActHandle, incident.Handled},
		{incident.ActClose, incident.Closed},
	}
	var out []incident.Transition
	from := incident.Status("")
	for i, st := range steps {
		out = append(out, incident.Transition{Action: st.a, From: from, To: st.to,
			At: inc.ReportedAt.Add(time.Duration(i) * time.Hour), Actor: incident.System})
		from = st.to
	}
	return out
}

// testCreateMany: records are stored with their histories in order,
// duplicates by source and external reference skipped.
func testCreateMany(t *testing.T, s incident.Store) {
	rng := seeded(t)
	pre := fixture(rng, 0)
	pre.ExternalRef = "DUP-0"
	create(t, s, pre, "")
	var batch []incident.Record
	for i := 1; i <= 30; i++ {
		inc := fixture(rng, i)
		inc.Status = incident.Closed
		switch {
		case i == 5:
			inc.Source, inc.ExternalRef = pre.Source, pre.ExternalRef // stored already
		case i == 9:
			inc.Source, inc.ExternalRef = batch[0].Incident.Source, batch[0].Incident.ExternalRef // earlier in batch
		case i%4 == 0:
			inc.ExternalRef = "" // never a duplicate
		}
		batch = append(batch, incident.Record{Incident: inc, Transitions: history(inc)})
	}
	n, err := s.CreateMany(ctx, batch)
	if err != nil || n != 28 {
		t.Fatalf("CreateMany: %d stored, %v; want 28", n, err)
	}
	all := scanAll(t, s)
	if len(all) != 29 {
		t.Fatalf("%d stored in all, want 29", len(all))
	}
	var last uint64
	for _, inc := range all[1:] {
		_, hist, err := s.Get(ctx, inc.ID)
		if err != nil || len(hist) != 5 {
			t.Fatalf("incident %d: %d steps, %v; want 5", inc.ID, len(hist), err)
		}
		for i, h := range hist {
			if h.Seq <= last || h.Incident != inc.ID || h.Action != history(inc)[i].Action {
				t.Fatalf("incident %d step %d: %+v after seq %d", inc.ID, i, h, last)
			}
			last = h.Seq
		}
	}
	noRef := 0
	for _, r := range batch {
		if r.Incident.ExternalRef == "" {
			noRef++
		}
	}
	if n, err := s.CreateMany(ctx, batch); err != nil || n != noRef { // only those without a ref again
		t.Fatalf("CreateMany again: %d stored, %v; want %d", n, err, noRef)
	}
}

// testScan: every incident once, in ID order; fn's error stops it.
func testScan(t *testing.T, s incident.Store) {
	all := fill(t, s, 40)
	if len(all) != 40 || !slices.IsSortedFunc(all, func(a, b incident.Incident) int { return int(a.ID - b.ID) }) {
		t.Fatalf("scan gave %d incidents, in ID order %v", len(all), all)
	}
	for _, inc := range all {
		got, _, err := s.Get(ctx, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "scanned", inc, got)
	}
	stop := errors.New("stop")
	n := 0
	err := s.Scan(ctx, func(incident.Incident) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Fatalf("scan after an error: %d calls, %v", n, err)
	}
}

// testSince: the transitions after a seq, oldest first, at most limit.
func testSince(t *testing.T, s incident.Store) {
	if got, err := s.Since(ctx, 0, 10); err != nil || len(got) != 0 {
		t.Fatalf("Since on an empty store: %v, %v", got, err)
	}
	rng := seeded(t)
	var seqs []uint64
	for i := range 6 {
		inc := fixture(rng, i)
		inc.Status = incident.Reported
		cur, _ := create(t, s, inc, "")
		after, tr := step(cur, incident.ActAssess, incident.Assessed)
		if _, err := s.Apply(ctx, cur, after, tr); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Since(ctx, 0, 100)
	if err != nil || len(all) != 12 {
		t.Fatalf("Since 0: %d, %v; want 12", len(all), err)
	}
	for _, tr := range all {
		seqs = append(seqs, tr.Seq)
	}
	if !slices.IsSorted(seqs) {
		t.Fatalf("seqs out of order: %v", seqs)
	}
	for _, tc := range []struct {
		after uint64
		limit int
		want  []uint64
	}{
		{seqs[3], 4, seqs[4:8]},
		{seqs[3], 100, seqs[4:]},
		{seqs[11], 10, nil},
		{0, 1, seqs[:1]},
	} {
		got, err := s.Since(ctx, tc.after, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		var gs []uint64
		for _, tr := range got {
			gs = append(gs, tr.Seq)
		}
		if !slices.Equal(gs, tc.want) {
			t.Fatalf("Since %d limit %d: %v, want %v", tc.after, tc.limit, gs, tc.want)
		}
	}
}
